// getnameinfo's policy where it needs no hosts, DNS or services data (those
// paths are compared with glibc by tests/differential_surface). Expectations
// follow glibc 2.36's inet/getnameinfo.c.
#include "resolver/nameinfo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <sys/utsname.h>

#include <string>

namespace aresolv {
namespace {

constexpr int kNumeric = NI_NUMERICHOST | NI_NUMERICSERV;

struct sockaddr_in v4(const char* text, int port) {
  struct sockaddr_in sin = {};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  EXPECT_EQ(1, inet_pton(AF_INET, text, &sin.sin_addr));
  return sin;
}

struct sockaddr_in6 v6(const char* text, int port, uint32_t scope = 0) {
  struct sockaddr_in6 sin6 = {};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(port);
  sin6.sin6_scope_id = scope;
  EXPECT_EQ(1, inet_pton(AF_INET6, text, &sin6.sin6_addr));
  return sin6;
}

const struct sockaddr* sa(const void* p) { return static_cast<const struct sockaddr*>(p); }

TEST(NameInfo, UnknownFlagsComeFirst) {
  auto sin = v4("192.0.2.1", 80);
  char host[64], serv[32];
  // glibc has no NI_NUMERICSCOPE: every bit above the IDN ones is unknown.
  for (int flag : {256, 512, 0x1000, 1 << 30, -1})
    EXPECT_EQ(EAI_BADFLAGS, name_info(nullptr, 0, host, sizeof host, serv, sizeof serv, flag));
  // The deprecated IDN bits are accepted.
  EXPECT_EQ(0, name_info(sa(&sin), sizeof sin, host, sizeof host, serv, sizeof serv,
                         kNumeric | 64 | 128 | NI_IDN));
  EXPECT_STREQ(host, "192.0.2.1");
  EXPECT_STREQ(serv, "80");
}

TEST(NameInfo, FamilyAndLengthChecks) {
  auto sin = v4("192.0.2.1", 80);
  auto sin6 = v6("2001:db8::1", 80);
  char host[64], serv[32];
  EXPECT_EQ(EAI_FAMILY, name_info(nullptr, sizeof sin, host, sizeof host, serv, sizeof serv, 0));
  EXPECT_EQ(EAI_FAMILY, name_info(sa(&sin), 1, host, sizeof host, serv, sizeof serv, 0));
  EXPECT_EQ(EAI_FAMILY, name_info(sa(&sin), sizeof sin - 1, host, sizeof host, serv, 0, 0));
  EXPECT_EQ(EAI_FAMILY, name_info(sa(&sin6), sizeof sin6 - 1, host, sizeof host, serv, 0, 0));
  // NI_NAMEREQD without any buffer is checked before the family.
  EXPECT_EQ(EAI_NONAME, name_info(sa(&sin), 2, nullptr, 0, nullptr, 0, NI_NAMEREQD));
  struct sockaddr_in other = sin;
  other.sin_family = AF_UNSPEC;
  EXPECT_EQ(EAI_FAMILY, name_info(sa(&other), sizeof other, host, sizeof host, serv, 0, 0));
  // Nothing asked, nothing done.
  EXPECT_EQ(0, name_info(sa(&sin), sizeof sin, nullptr, 0, nullptr, 0, 0));
  EXPECT_EQ(0, name_info(sa(&sin), sizeof sin, host, 0, serv, 0, 0));
}

TEST(NameInfo, NumericHostOverflowLeavesBufferAndSetsEnospc) {
  auto sin = v4("192.0.2.123", 80);
  char host[11];
  memset(host, '@', sizeof host);
  errno = 0;
  EXPECT_EQ(EAI_OVERFLOW, name_info(sa(&sin), sizeof sin, host, sizeof host, nullptr, 0, kNumeric));
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(host[0], '@');
  char fits[12];
  EXPECT_EQ(0, name_info(sa(&sin), sizeof sin, fits, sizeof fits, nullptr, 0, kNumeric));
  EXPECT_STREQ(fits, "192.0.2.123");
  EXPECT_EQ(EAI_NONAME, name_info(sa(&sin), sizeof sin, fits, sizeof fits, nullptr, 0,
                                  NI_NUMERICHOST | NI_NAMEREQD));
}

TEST(NameInfo, ScopeSuffix) {
  char host[64];
  unsigned lo = if_nametoindex("lo");
  ASSERT_NE(lo, 0u);
  auto link_local = v6("fe80::1", 0, lo);
  ASSERT_EQ(0,
            name_info(sa(&link_local), sizeof link_local, host, sizeof host, nullptr, 0, kNumeric));
  EXPECT_STREQ(host, "fe80::1%lo");
  auto multicast = v6("ff02::1", 0, lo);
  ASSERT_EQ(0,
            name_info(sa(&multicast), sizeof multicast, host, sizeof host, nullptr, 0, kNumeric));
  EXPECT_STREQ(host, "ff02::1%lo");
  // Other scopes, and unknown interfaces, keep the number.
  auto site = v6("ff05::1", 0, lo);
  ASSERT_EQ(0, name_info(sa(&site), sizeof site, host, sizeof host, nullptr, 0, kNumeric));
  EXPECT_EQ(std::string(host), "ff05::1%" + std::to_string(lo));
  auto unknown = v6("fe80::1", 0, 4000000000u);
  ASSERT_EQ(0, name_info(sa(&unknown), sizeof unknown, host, sizeof host, nullptr, 0, kNumeric));
  EXPECT_STREQ(host, "fe80::1%4000000000");
  // A short buffer keeps snprintf's truncated suffix.
  char shorter[10];
  EXPECT_EQ(EAI_OVERFLOW,
            name_info(sa(&unknown), sizeof unknown, shorter, sizeof shorter, nullptr, 0, kNumeric));
  EXPECT_STREQ(shorter, "fe80::1%4");
}

TEST(NameInfo, NumericServiceIsSnprintf) {
  auto sin = v4("192.0.2.1", 65535);
  char serv[5];
  EXPECT_EQ(EAI_OVERFLOW, name_info(sa(&sin), sizeof sin, nullptr, 0, serv, sizeof serv, kNumeric));
  EXPECT_STREQ(serv, "6553");
  char fits[6];
  EXPECT_EQ(0, name_info(sa(&sin), sizeof sin, nullptr, 0, fits, sizeof fits, kNumeric));
  EXPECT_STREQ(fits, "65535");
}

TEST(NameInfo, LocalSockets) {
  struct sockaddr_un sun = {};
  sun.sun_family = AF_LOCAL;
  strcpy(sun.sun_path, "/run/x.sock");
  char host[300], serv[64];
  struct utsname names;
  ASSERT_EQ(0, uname(&names));
  ASSERT_EQ(0, name_info(sa(&sun), sizeof sun, host, sizeof host, serv, sizeof serv, 0));
  EXPECT_STREQ(host, names.nodename);
  EXPECT_STREQ(serv, "/run/x.sock");
  ASSERT_EQ(0, name_info(sa(&sun), 2, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST));
  EXPECT_STREQ(host, "localhost");
  EXPECT_EQ(EAI_NONAME, name_info(sa(&sun), sizeof sun, host, sizeof host, serv, sizeof serv,
                                  NI_NUMERICHOST | NI_NAMEREQD));
  EXPECT_EQ(EAI_FAMILY, name_info(sa(&sun), 1, host, sizeof host, serv, sizeof serv, 0));
  EXPECT_EQ(EAI_OVERFLOW, name_info(sa(&sun), sizeof sun, nullptr, 0, serv, 11, 0));
}

TEST(StripLocalDomain, CutsAtTheFirstOccurrenceAfterADot) {
  auto strip = [](std::string name, const char* domain) {
    strip_local_domain(&name[0], domain);
    return std::string(name.c_str());
  };
  EXPECT_EQ(strip("host.corp.test", "corp.test"), "host");
  EXPECT_EQ(strip("host.corp.test", nullptr), "host.corp.test");
  EXPECT_EQ(strip("corp.test", "corp.test"), "corp.test");
  // glibc does not require the domain to end the name...
  EXPECT_EQ(strip("a.corp.test.example", "corp.test"), "a");
  // ...and looks only at the first occurrence.
  EXPECT_EQ(strip("xcorp.test.corp.test", "corp.test"), "xcorp.test.corp.test");
}

// Fake lookups for compute_local_domain.
const char* g_localhost_name;
const char* g_kernel_name;
const char* g_host_name;
const char* g_loopback_name;
int g_erange_once;

int fake_lookup(const char* answer, struct hostent* entry, char* buffer, size_t length,
                struct hostent** result, int* herrno) {
  *result = nullptr;
  if (g_erange_once > 0) {
    --g_erange_once;
    *herrno = NETDB_INTERNAL;
    errno = ERANGE;
    return ERANGE;
  }
  if (answer == nullptr || strlen(answer) + 1 > length) {
    *herrno = HOST_NOT_FOUND;
    return 0;
  }
  strcpy(buffer, answer);
  memset(entry, 0, sizeof *entry);
  entry->h_name = buffer;
  *result = entry;
  return 0;
}

int fake_by_name(const char* name, struct hostent* entry, char* buffer, size_t length,
                 struct hostent** result, int* herrno) {
  const char* answer = strcmp(name, "localhost") == 0 ? g_localhost_name : g_host_name;
  return fake_lookup(answer, entry, buffer, length, result, herrno);
}

int fake_host_name(char* name, size_t length) {
  strncpy(name, g_kernel_name, length);
  return 0;
}

int fake_by_addr(const void*, socklen_t, int, struct hostent* entry, char* buffer, size_t length,
                 struct hostent** result, int* herrno) {
  return fake_lookup(g_loopback_name, entry, buffer, length, result, herrno);
}

std::string domain_of(const char* localhost, const char* kernel, const char* host,
                      const char* loopback, int erange_once = 0) {
  g_localhost_name = localhost;
  g_kernel_name = kernel;
  g_host_name = host;
  g_loopback_name = loopback;
  g_erange_once = erange_once;
  char* domain = nullptr;
  EXPECT_TRUE(compute_local_domain({fake_by_name, fake_host_name, fake_by_addr}, &domain));
  std::string text = domain ? domain : "(none)";
  free(domain);
  return text;
}

TEST(LocalDomain, SourcesInGlibcOrder) {
  EXPECT_EQ(domain_of("localhost.home.test", "vm.kernel.test", "vm.host.test", "lo.loop.test"),
            "home.test");
  EXPECT_EQ(domain_of("localhost", "vm.kernel.test", "vm.host.test", "lo.loop.test"),
            "kernel.test");
  EXPECT_EQ(domain_of("localhost", "vm", "vm.host.test", "lo.loop.test"), "host.test");
  EXPECT_EQ(domain_of("localhost", "vm", nullptr, "lo.loop.test"), "loop.test");
  EXPECT_EQ(domain_of("localhost", "vm", "vm", "localhost"), "(none)");
  EXPECT_EQ(domain_of(nullptr, "vm", nullptr, nullptr), "(none)");
  // The buffer grows on ERANGE and the lookup is repeated.
  EXPECT_EQ(domain_of("localhost.home.test", "vm", nullptr, nullptr, 2), "home.test");
}

}  // namespace
}  // namespace aresolv
