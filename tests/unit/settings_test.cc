// settings() and the cached current_*() configuration. settings() reads the
// environment once per process, so every scenario runs in a fresh process: a
// "threadsafe" death test re-executes the test binary for just that test.
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "resolver/config.h"

namespace aresolv {
namespace {

#define REQUIRE(cond)                                                    \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      _exit(1);                                                          \
    }                                                                    \
  } while (0)

std::string temp_path(const char* tag) {
  return std::string("/tmp/aresolv-settings-") + tag + "-" + std::to_string(getpid());
}

void write_file(const std::string& path, const std::string& text) {
  // Write a new file and rename it over the old one, as editors and resolvconf
  // do: the identity (inode) changes even when size and mtime do not.
  std::string tmp = path + ".tmp";
  FILE* f = fopen(tmp.c_str(), "w");
  REQUIRE(f != nullptr);
  fwrite(text.data(), 1, text.size(), f);
  fclose(f);
  REQUIRE(rename(tmp.c_str(), path.c_str()) == 0);
}

class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

void run_environment_copies() {
  std::string resolv = temp_path("resolv");
  setenv("ARESOLV_RESOLV_CONF", resolv.c_str(), 1);
  setenv("ARESOLV_HOSTS", "/tmp/hosts-fixture", 1);
  setenv("ARESOLV_SERVICES", "/tmp/services-fixture", 1);
  setenv("ARESOLV_NSSWITCH_CONF", "/tmp/nsswitch-fixture", 1);
  setenv("ARESOLV_GAI_CONF", "/tmp/gai-fixture", 1);
  setenv("RESOLV_HOST_CONF", "/tmp/glibc-host-conf", 1);
  setenv("LOCALDOMAIN", "local.example", 1);
  setenv("RES_OPTIONS", "ndots:4", 1);
  setenv("RESOLV_MULTI", "off", 1);
  setenv("HOSTALIASES", "/tmp/aliases", 1);
  setenv("ARESOLV_DEBUG", "1", 1);
  const Settings& s = settings();
  REQUIRE(!s.secure_execution);
  REQUIRE(strcmp(s.resolv_conf_path, resolv.c_str()) == 0);
  REQUIRE(strcmp(s.hosts_path, "/tmp/hosts-fixture") == 0);
  REQUIRE(strcmp(s.services_path, "/tmp/services-fixture") == 0);
  REQUIRE(strcmp(s.nsswitch_path, "/tmp/nsswitch-fixture") == 0);
  REQUIRE(strcmp(s.gai_conf_path, "/tmp/gai-fixture") == 0);
  REQUIRE(strcmp(s.host_conf_path, "/tmp/glibc-host-conf") == 0);  // glibc's variable
  REQUIRE(strcmp(s.localdomain, "local.example") == 0);
  REQUIRE(strcmp(s.res_options, "ndots:4") == 0);
  REQUIRE(strcmp(s.resolv_multi, "off") == 0);
  REQUIRE(strcmp(s.hostaliases, "/tmp/aliases") == 0);
  REQUIRE(s.debug);
  // Copies, not pointers into environ; and read once only.
  REQUIRE(s.localdomain != getenv("LOCALDOMAIN"));
  setenv("LOCALDOMAIN", "changed.example", 1);
  unsetenv("RES_OPTIONS");
  REQUIRE(strcmp(settings().localdomain, "local.example") == 0);
  REQUIRE(strcmp(settings().res_options, "ndots:4") == 0);
  REQUIRE(&settings() == &s);

  // The environment reaches the resolv.conf parse.
  write_file(resolv, "search file.example\nnameserver 192.0.2.1\n");
  ResolvConf conf;
  current_resolv_conf(&conf);
  REQUIRE(conf.search_count == 1);
  REQUIRE(strcmp(conf.search[0], "local.example") == 0);
  REQUIRE(conf.ndots == 4);
  unlink(resolv.c_str());
  exit(0);
}

TEST_F(SettingsTest, EnvironmentIsCopiedOnce) {
  EXPECT_EXIT(run_environment_copies(), ::testing::ExitedWithCode(0), "");
}

void run_defaults() {
  const char* vars[] = {"ARESOLV_RESOLV_CONF",   "ARESOLV_HOSTS",     "ARESOLV_SERVICES",
                        "ARESOLV_NSSWITCH_CONF", "ARESOLV_HOST_CONF", "ARESOLV_GAI_CONF",
                        "RESOLV_HOST_CONF",      "LOCALDOMAIN",       "RES_OPTIONS",
                        "RESOLV_MULTI",          "HOSTALIASES",       "ARESOLV_DEBUG"};
  for (const char* v : vars) unsetenv(v);
  const Settings& s = settings();
  REQUIRE(strcmp(s.resolv_conf_path, "/etc/resolv.conf") == 0);
  REQUIRE(strcmp(s.hosts_path, "/etc/hosts") == 0);
  REQUIRE(strcmp(s.services_path, "/etc/services") == 0);
  REQUIRE(strcmp(s.nsswitch_path, "/etc/nsswitch.conf") == 0);
  REQUIRE(strcmp(s.host_conf_path, "/etc/host.conf") == 0);
  REQUIRE(strcmp(s.gai_conf_path, "/etc/gai.conf") == 0);
  REQUIRE(s.localdomain == nullptr && s.res_options == nullptr && s.resolv_multi == nullptr &&
          s.hostaliases == nullptr && !s.debug);
  exit(0);
}

TEST_F(SettingsTest, Defaults) { EXPECT_EXIT(run_defaults(), ::testing::ExitedWithCode(0), ""); }

void run_ours_over_glibc_host_conf() {
  setenv("RESOLV_HOST_CONF", "/tmp/glibc", 1);
  setenv("ARESOLV_HOST_CONF", "/tmp/ours", 1);
  REQUIRE(strcmp(settings().host_conf_path, "/tmp/ours") == 0);
  exit(0);
}

TEST_F(SettingsTest, OurHostConfVariableWins) {
  EXPECT_EXIT(run_ours_over_glibc_host_conf(), ::testing::ExitedWithCode(0), "");
}

void run_resolv_conf_reload() {
  std::string path = temp_path("reload");
  unsetenv("LOCALDOMAIN");
  unsetenv("RES_OPTIONS");
  setenv("ARESOLV_RESOLV_CONF", path.c_str(), 1);
  ResolvConf conf;

  // Absent file: glibc's defaults.
  unlink(path.c_str());
  current_resolv_conf(&conf);
  REQUIRE(conf.nameserver_count == 1 && conf.nameservers[0].bytes[0] == 127);

  write_file(path, "nameserver 192.0.2.1\nsearch one.example\n");
  current_resolv_conf(&conf);
  REQUIRE(conf.nameserver_count == 1 && conf.nameservers[0].bytes[3] == 1);
  REQUIRE(strcmp(conf.search[0], "one.example") == 0);

  // The copy handed out is a snapshot, unaffected by later reloads.
  ResolvConf snapshot = conf;
  write_file(path, "nameserver 192.0.2.2\nsearch two.example\n");
  current_resolv_conf(&conf);
  REQUIRE(conf.nameservers[0].bytes[3] == 2);
  REQUIRE(strcmp(conf.search[0], "two.example") == 0);
  REQUIRE(strcmp(snapshot.search[0], "one.example") == 0);

  // Removing the file goes back to the defaults.
  unlink(path.c_str());
  current_resolv_conf(&conf);
  REQUIRE(conf.nameservers[0].bytes[0] == 127);

  // "options no-reload": glibc stops checking the file.
  write_file(path, "options no-reload\nnameserver 192.0.2.3\n");
  current_resolv_conf(&conf);
  REQUIRE(conf.no_reload && conf.nameservers[0].bytes[3] == 3);
  write_file(path, "nameserver 192.0.2.4\n");
  current_resolv_conf(&conf);
  REQUIRE(conf.nameservers[0].bytes[3] == 3);
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, ResolvConfIsReloadedWhenItChanges) {
  EXPECT_EXIT(run_resolv_conf_reload(), ::testing::ExitedWithCode(0), "");
}

void run_hostname_default_domain() {
  std::string path = temp_path("hostname");
  unsetenv("LOCALDOMAIN");
  setenv("ARESOLV_RESOLV_CONF", path.c_str(), 1);
  write_file(path, "nameserver 192.0.2.1\n");
  ResolvConf conf;
  current_resolv_conf(&conf);
  char hostname[256] = {0};
  REQUIRE(gethostname(hostname, sizeof hostname - 1) == 0);
  const char* dot = strchr(hostname, '.');
  if (dot) {
    REQUIRE(conf.search_count == 1 && strcmp(conf.search[0], dot + 1) == 0);
  } else {
    REQUIRE(conf.search_count == 0);
  }
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, DefaultDomainFromHostname) {
  EXPECT_EXIT(run_hostname_default_domain(), ::testing::ExitedWithCode(0), "");
}

void run_nsswitch_reload() {
  std::string path = temp_path("nsswitch");
  setenv("ARESOLV_NSSWITCH_CONF", path.c_str(), 1);
  HostsLookupOrder order;
  unlink(path.c_str());
  current_hosts_order(&order);
  REQUIRE(order.count == 2 && order.sources[0].source == HostsSource::kFiles &&
          order.sources[1].source == HostsSource::kDns);
  write_file(path, "hosts: dns [!UNAVAIL=return] files\n");
  current_hosts_order(&order);
  REQUIRE(order.count == 2 && order.sources[0].source == HostsSource::kDns &&
          order.sources[0].actions[kNssNotFound] == NssAction::kReturn);
  write_file(path, "hosts: files [FOO=bar]\n");
  current_hosts_order(&order);
  REQUIRE(order.load_failed && order.count == 0);
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, NsswitchIsReloadedWhenItChanges) {
  EXPECT_EXIT(run_nsswitch_reload(), ::testing::ExitedWithCode(0), "");
}

void run_host_conf_once() {
  std::string path = temp_path("hostconf");
  setenv("ARESOLV_HOST_CONF", path.c_str(), 1);
  unsetenv("RESOLV_MULTI");
  write_file(path, "multi on\n");
  REQUIRE(current_host_conf().multi);
  // glibc reads host.conf once per process.
  write_file(path, "multi off\n");
  REQUIRE(current_host_conf().multi);
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, HostConfIsReadOnce) {
  EXPECT_EXIT(run_host_conf_once(), ::testing::ExitedWithCode(0), "");
}

void run_resolv_multi_env() {
  std::string path = temp_path("hostconf-env");
  setenv("ARESOLV_HOST_CONF", path.c_str(), 1);
  setenv("RESOLV_MULTI", "off", 1);
  write_file(path, "multi on\n");
  REQUIRE(!current_host_conf().multi);
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, ResolvMultiOverridesHostConf) {
  EXPECT_EXIT(run_resolv_multi_env(), ::testing::ExitedWithCode(0), "");
}

// The caches keep working in a child forked while another thread holds a lock.
void run_fork_while_locked() {
  std::string path = temp_path("fork");
  setenv("ARESOLV_RESOLV_CONF", path.c_str(), 1);
  write_file(path, "nameserver 192.0.2.9\n");
  ResolvConf conf;
  current_resolv_conf(&conf);  // registers the atfork handler

  std::atomic<bool> stop{false};
  std::thread reader([&] {
    ResolvConf c;
    while (!stop) current_resolv_conf(&c);
  });
  for (int i = 0; i < 50; ++i) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ResolvConf c;
      alarm(5);  // a deadlock ends as a failure, not a hang
      current_resolv_conf(&c);
      _exit(c.nameservers[0].bytes[3] == 9 ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  stop = true;
  reader.join();
  unlink(path.c_str());
  exit(0);
}

TEST_F(SettingsTest, ForkWhileAnotherThreadHoldsTheLock) {
  EXPECT_EXIT(run_fork_while_locked(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace aresolv
