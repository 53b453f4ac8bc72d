#include "resolver/hosts.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace aresolv {
namespace {

// Expected answers below were confirmed with glibc 2.36 (gethostbyname2_r,
// getaddrinfo, gethostbyaddr_r) with "hosts: files" and the same text bind-
// mounted over /etc/hosts.

std::string addresses(const NameResult& r) {
  std::string s;
  for (int i = 0; i < r.count; ++i) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(r.addresses[i].family, r.addresses[i].bytes, buf, sizeof buf);
    if (!s.empty()) s += " ";
    s += buf;
  }
  return s;
}

std::string aliases(const AliasBuffer& a) {
  std::string s;
  for (const char* p = a.next(nullptr); p; p = a.next(p)) s += "[" + std::string(p) + "]";
  return s;
}

class Hosts {
 public:
  explicit Hosts(const std::string& text) : table_(hosts_table_parse(text.data(), text.size())) {
    EXPECT_NE(table_, nullptr);
  }
  ~Hosts() { hosts_table_release(table_); }

  // "canonical aliases: addresses", or "not found"
  std::string by3(const char* name, int family, bool multi) {
    NameResult r;
    char buf[1024];
    AliasBuffer a(buf, sizeof buf);
    Status s = hosts_table_by_name3(*table_, multi, name, family, &r, &a);
    if (s == Status::kNotFound) return "not found";
    EXPECT_EQ(s, Status::kSuccess);
    return r.canonical_name + (" " + aliases(a)) + ": " + addresses(r);
  }
  std::string by4(const char* name, bool multi) {
    NameResult r;
    Status s = hosts_table_by_name4(*table_, multi, name, &r);
    if (s == Status::kNotFound) return "not found";
    EXPECT_EQ(s, Status::kSuccess);
    return std::string(r.canonical_name) + ": " + addresses(r);
  }
  std::string by_addr(const char* text) {
    uint8_t bytes[16];
    int family = strchr(text, ':') ? AF_INET6 : AF_INET;
    EXPECT_EQ(inet_pton(family, text, bytes), 1);
    NameResult r;
    char buf[1024];
    AliasBuffer a(buf, sizeof buf);
    Status s = hosts_table_by_addr(*table_, bytes, family == AF_INET ? 4 : 16, family, &r, &a);
    if (s == Status::kNotFound) return "not found";
    EXPECT_EQ(s, Status::kSuccess);
    return r.canonical_name + (" " + aliases(a)) + ": " + addresses(r);
  }
  const HostsTable& table() { return *table_; }

 private:
  HostsTable* table_;
};

const char kDebianLocalhost[] = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n";

TEST(Hosts, LoopbackLineAnsweredAsIpv4ForAfInet) {
  Hosts h(kDebianLocalhost);
  // getent ahostsv4 localhost prints 127.0.0.1 twice on Debian.
  EXPECT_EQ(h.by3("localhost", AF_INET, true), "localhost [ip6-localhost]: 127.0.0.1 127.0.0.1");
  EXPECT_EQ(h.by3("localhost", AF_INET, false), "localhost : 127.0.0.1");
  EXPECT_EQ(h.by3("localhost", AF_INET6, true), "localhost [ip6-localhost]: ::1");
  EXPECT_EQ(h.by4("localhost", true), "localhost: 127.0.0.1 ::1");
  EXPECT_EQ(h.by4("localhost", false), "localhost: 127.0.0.1");
  EXPECT_EQ(h.by4("ip6-localhost", true), "localhost: ::1");
  EXPECT_EQ(h.by3("ip6-localhost", AF_INET, true), "localhost [ip6-localhost]: 127.0.0.1");
  EXPECT_EQ(h.by_addr("127.0.0.1"), "localhost : 127.0.0.1");
  EXPECT_EQ(h.by_addr("::1"), "localhost [ip6-localhost]: ::1");
}

const char kMixed[] =
    "# comment\n"
    "   \n"
    "10.0.0.1 Alpha alpha-alias A2 # trailing comment\n"
    "10.0.0.2\tALPHA\tother\n"
    "  10.0.0.3 beta#nospace\n"
    "::ffff:10.0.0.4 alpha mapped\n"
    "fe80::1 alpha ll\n"
    "2001:db8::1 Beta b6\n"
    "1.2.3 gamma\n"
    "01.2.3.4 gamma\n"
    "10.0.0.5 gamma\n"
    "10.0.0.6\n"
    "10.0.0.7 Gamma Gam2\n"
    "   10.0.0.8 delta";

TEST(Hosts, MultiMergesLinesLikeGlibc) {
  Hosts h(kMixed);
  EXPECT_EQ(h.by3("alpha", AF_INET, true),
            "Alpha [alpha-alias][A2][other][ALPHA][mapped][alpha]: 10.0.0.1 10.0.0.2 10.0.0.4");
  EXPECT_EQ(h.by3("ALPHA", AF_INET6, true), "alpha [mapped][ll]: ::ffff:10.0.0.4 fe80::1");
  EXPECT_EQ(h.by3("gamma", AF_INET, true), "gamma [Gam2][Gamma]: 10.0.0.5 10.0.0.7");
  EXPECT_EQ(h.by4("alpha", true), "Alpha: 10.0.0.1 10.0.0.2 ::ffff:10.0.0.4 fe80::1");
  EXPECT_EQ(h.by4("ALPHA", true), "Alpha: 10.0.0.1 10.0.0.2 ::ffff:10.0.0.4 fe80::1");
  EXPECT_EQ(h.by4("gamma", true), "gamma: 10.0.0.5 10.0.0.7");
}

TEST(Hosts, WithoutMultiOnlyTheFirstLine) {
  Hosts h(kMixed);
  EXPECT_EQ(h.by3("alpha", AF_INET, false), "Alpha [alpha-alias][A2]: 10.0.0.1");
  EXPECT_EQ(h.by3("ALPHA", AF_INET6, false), "alpha [mapped]: ::ffff:10.0.0.4");
  EXPECT_EQ(h.by3("gamma", AF_INET, false), "gamma : 10.0.0.5");
  EXPECT_EQ(h.by4("alpha", false), "Alpha: 10.0.0.1");
  EXPECT_EQ(h.by4("gamma", false), "gamma: 10.0.0.5");
}

TEST(Hosts, LineParsing) {
  Hosts h(kMixed);
  for (bool multi : {false, true}) {
    EXPECT_EQ(h.by3("beta", AF_INET, multi), "beta : 10.0.0.3");  // '#' ends the name
    EXPECT_EQ(h.by3("beta", AF_INET6, multi), "Beta [b6]: 2001:db8::1");
    EXPECT_EQ(h.by3("mapped", AF_INET, multi), "alpha [mapped]: 10.0.0.4");
    EXPECT_EQ(h.by3("mapped", AF_INET6, multi), "alpha [mapped]: ::ffff:10.0.0.4");
    EXPECT_EQ(h.by3("ll", AF_INET, multi), "not found");  // other IPv6 lines skipped for AF_INET
    EXPECT_EQ(h.by3("comment", AF_INET, multi), "not found");
    EXPECT_EQ(h.by3("trailing", AF_INET, multi), "not found");
    // An address-only line has the empty name.
    EXPECT_EQ(h.by3("", AF_INET, multi), " : 10.0.0.6");
    // The last line has leading blanks and no newline: glibc doubles its tail.
    EXPECT_EQ(h.by3("delta", AF_INET, multi), "not found");
    EXPECT_EQ(h.by3("deltalta", AF_INET, multi), "deltalta : 10.0.0.8");
  }
  EXPECT_EQ(h.by3("gamma", AF_INET6, true), "not found");  // IPv4 lines skipped for AF_INET6
}

TEST(Hosts, NulCrAndBlanks) {
  std::string text("10.0.0.1 a\0junk b\n10.0.0.2 c\r\n\t10.0.0.3 d\0xy\n  \t10.0.0.4 eee", 60);
  Hosts h(text);
  EXPECT_EQ(h.by3("a", AF_INET, true), "a : 10.0.0.1");
  EXPECT_EQ(h.by3("junk", AF_INET, true), "not found");
  EXPECT_EQ(h.by3("b", AF_INET, true), "not found");
  EXPECT_EQ(h.by3("c", AF_INET, true), "c : 10.0.0.2");
  EXPECT_EQ(h.by3("d", AF_INET, true), "not found");
  EXPECT_EQ(h.by3("dd", AF_INET, true), "dd : 10.0.0.3");
  EXPECT_EQ(h.by3("dxy", AF_INET, true), "not found");
  EXPECT_EQ(h.by3("eee", AF_INET, true), "not found");
  EXPECT_EQ(h.by3("eeeeee", AF_INET, true), "eeeeee : 10.0.0.4");
}

TEST(Hosts, ReverseLookup) {
  Hosts h(kMixed);
  EXPECT_EQ(h.by_addr("10.0.0.4"), "alpha [mapped]: 10.0.0.4");
  EXPECT_EQ(h.by_addr("::ffff:10.0.0.4"), "alpha [mapped]: ::ffff:10.0.0.4");
  EXPECT_EQ(h.by_addr("10.0.0.1"), "Alpha [alpha-alias][A2]: 10.0.0.1");
  EXPECT_EQ(h.by_addr("10.0.0.7"), "Gamma [Gam2]: 10.0.0.7");
  EXPECT_EQ(h.by_addr("10.0.0.9"), "not found");
  EXPECT_EQ(h.by_addr("fe80::1"), "alpha [ll]: fe80::1");
  // Lengths must agree with the family's form of the line.
  NameResult r;
  uint8_t v4[4] = {10, 0, 0, 1};
  EXPECT_EQ(hosts_table_by_addr(h.table(), v4, 4, AF_INET6, &r, nullptr), Status::kNotFound);
  EXPECT_EQ(hosts_table_by_addr(h.table(), v4, 4, AF_UNSPEC, &r, nullptr), Status::kSuccess);
  EXPECT_EQ(hosts_table_by_addr(h.table(), v4, 4, AF_INET, &r, nullptr), Status::kSuccess);
}

TEST(Hosts, AliasBufferOverflowReportsNeededSize) {
  Hosts h("1.2.3.4 name alias-one alias-two\n");
  NameResult r;
  char small[12];
  AliasBuffer a(small, sizeof small);
  ASSERT_EQ(hosts_table_by_name3(h.table(), false, "name", AF_INET, &r, &a), Status::kSuccess);
  EXPECT_TRUE(a.overflowed());
  EXPECT_EQ(a.count, 2);
  EXPECT_EQ(a.needed, 20u);
  EXPECT_EQ(a.next(nullptr), nullptr);
  std::vector<char> big(a.needed);
  AliasBuffer b(big.data(), big.size());
  ASSERT_EQ(hosts_table_by_name3(h.table(), false, "name", AF_INET, &r, &b), Status::kSuccess);
  EXPECT_FALSE(b.overflowed());
  EXPECT_EQ(aliases(b), "[alias-one][alias-two]");
}

TEST(Hosts, ManyAddressesTruncate) {
  std::string text;
  for (int i = 0; i < kMaxAddresses + 5; ++i)
    text += "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + " many\n";
  Hosts h(text);
  NameResult r;
  ASSERT_EQ(hosts_table_by_name4(h.table(), true, "many", &r), Status::kSuccess);
  EXPECT_EQ(r.count, kMaxAddresses);
  EXPECT_TRUE(r.truncated);
}

TEST(Hosts, ParsesArbitraryBytes) {
  // Not NUL-terminated, random bytes: must neither crash nor read past the end.
  srand(7);
  for (int round = 0; round < 2000; ++round) {
    size_t n = rand() % 200;
    std::vector<char> bytes(n);
    const char pool[] = " \t\n#:.0123456789abcdefx\0";
    for (auto& c : bytes) c = rand() % 4 ? pool[rand() % (sizeof pool - 1)] : rand();
    HostsTable* t = hosts_table_parse(bytes.data(), bytes.size());
    ASSERT_NE(t, nullptr);
    NameResult r;
    hosts_table_by_name4(*t, true, "a", &r);
    hosts_table_release(t);
  }
}

class TempHosts {
 public:
  TempHosts() {
    snprintf(path_, sizeof path_, "/tmp/aresolv-hosts-XXXXXX");
    int fd = mkstemp(path_);
    EXPECT_GE(fd, 0);
    close(fd);
  }
  ~TempHosts() { unlink(path_); }
  void write(const std::string& text) {
    // Replace atomically, as editors and package scripts do.
    std::string tmp = std::string(path_) + ".new";
    FILE* f = fopen(tmp.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
    ASSERT_EQ(rename(tmp.c_str(), path_), 0);
  }
  const char* path() const { return path_; }

 private:
  char path_[64];
};

TEST(HostsFile, RereadWhenReplaced) {
  TempHosts file;
  file.write("10.0.0.1 one\n");
  NameResult r;
  EXPECT_EQ(hosts_by_name4(file.path(), true, "one", &r), Status::kSuccess);
  EXPECT_EQ(addresses(r), "10.0.0.1");
  file.write("10.0.0.2 one\n10.0.0.3 two\n");
  EXPECT_EQ(hosts_by_name4(file.path(), true, "one", &r), Status::kSuccess);
  EXPECT_EQ(addresses(r), "10.0.0.2");
  char buf[256];
  AliasBuffer a(buf, sizeof buf);
  EXPECT_EQ(hosts_by_name3(file.path(), true, "two", AF_INET, &r, &a), Status::kSuccess);
  EXPECT_EQ(hosts_by_name3(file.path(), true, "two", AF_INET6, &r, &a), Status::kNotFound);
  uint8_t v4[4] = {10, 0, 0, 3};
  EXPECT_EQ(hosts_by_addr(file.path(), v4, 4, AF_INET, &r, &a), Status::kSuccess);
  EXPECT_STREQ(r.canonical_name, "two");
}

TEST(HostsFile, AbsentFileIsUnavailable) {
  NameResult r;
  EXPECT_EQ(hosts_by_name4("/nonexistent/aresolv/hosts", true, "localhost", &r), Status::kUnavail);
  EXPECT_EQ(hosts_by_name3("/nonexistent/aresolv/hosts", true, "localhost", AF_INET, &r, nullptr),
            Status::kUnavail);
}

TEST(HostsFile, ConcurrentLookupsWhileTheFileChanges) {
  TempHosts file;
  file.write("10.0.0.1 name\n");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 2000; ++j) {
        NameResult r;
        if (hosts_by_name4(file.path(), true, "name", &r) != Status::kSuccess) ++failures;
      }
    });
  }
  for (int j = 0; j < 100; ++j) file.write("10.0.0." + std::to_string(j % 250) + " name\n");
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace aresolv
