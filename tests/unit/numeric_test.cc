#include "resolver/numeric.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>

#include <random>
#include <string>

namespace aresolv {
namespace {

std::string text_of(const Address& a) {
  char buf[INET6_ADDRSTRLEN];
  EXPECT_TRUE(format_address(a, buf, sizeof buf));
  return buf;
}

std::string v4(const char* name) {
  Address a;
  if (parse_numeric_host(name, &a) != NumericHost::kIPv4) return "not-v4";
  return text_of(a);
}

// Cases confirmed against getaddrinfo(AI_NUMERICHOST) of glibc 2.36.
TEST(Numeric, InetAtonForms) {
  EXPECT_EQ(v4("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(v4("127.1"), "127.0.0.1");
  EXPECT_EQ(v4("0x7f.0.0.1"), "127.0.0.1");
  EXPECT_EQ(v4("017.0.0.1"), "15.0.0.1");
  EXPECT_EQ(v4("0X1.0"), "1.0.0.0");
  EXPECT_EQ(v4("4294967295"), "255.255.255.255");
  EXPECT_EQ(v4("1.16777215"), "1.255.255.255");
  EXPECT_EQ(v4("1.2.65535"), "1.2.255.255");
  EXPECT_EQ(v4("00000000000000000000000000001.1"), "1.0.0.1");
  EXPECT_EQ(v4("0"), "0.0.0.0");
}

TEST(Numeric, InetAtonRejects) {
  for (const char* bad :
       {"08.0.0.1", "127.0.0.1 ", " 127.0.0.1", "4294967296", "1.16777216", "1.2.3.256", "0x",
        "1.2.3.4.5", "1..2", "1.", "", "0xffffffffffffffffffff", "1.2.3.4%1", "+1", "-1", "1.-2",
        "0x1g", "256.1"}) {
    Address a;
    EXPECT_EQ(parse_numeric_host(bad, &a), NumericHost::kNotNumeric) << bad;
  }
}

TEST(Numeric, Ipv6AndScopes) {
  unsigned lo = if_nametoindex("lo");
  ASSERT_NE(lo, 0u);
  Address a;
  ASSERT_EQ(parse_numeric_host("fe80::1%lo", &a), NumericHost::kIPv6);
  EXPECT_EQ(a.scope_id, lo);
  EXPECT_EQ(text_of(a), "fe80::1");
  ASSERT_EQ(parse_numeric_host("fe80::1%01", &a), NumericHost::kIPv6);
  EXPECT_EQ(a.scope_id, 1u);
  ASSERT_EQ(parse_numeric_host("fe80::1%4294967295", &a), NumericHost::kIPv6);
  EXPECT_EQ(a.scope_id, 4294967295u);
  ASSERT_EQ(parse_numeric_host("ff02::1%lo", &a), NumericHost::kIPv6);
  ASSERT_EQ(parse_numeric_host("ff01::1%lo", &a), NumericHost::kIPv6);
  ASSERT_EQ(parse_numeric_host("::1%1", &a), NumericHost::kIPv6);
  EXPECT_EQ(a.scope_id, 1u);
  ASSERT_EQ(parse_numeric_host("::ffff:1.2.3.4", &a), NumericHost::kIPv6);
  EXPECT_EQ(text_of(a), "::ffff:1.2.3.4");
  EXPECT_EQ(a.scope_id, 0u);

  // An interface name is a scope only for link-scoped addresses.
  for (const char* bad :
       {"::1%lo", "ff05::1%lo", "fe80::1%", "fe80::1%4294967296", "fe80::1%+1", "fe80::1%1 ",
        "fe80::1%%1", "fe80::1%nosuchif", "2001:db8::1%lo", "::ffff:1.2.3.4%lo"}) {
    EXPECT_EQ(parse_numeric_host(bad, &a), NumericHost::kBadScope) << bad;
    EXPECT_EQ(a.family, AF_INET6) << bad;
  }
  EXPECT_EQ(parse_numeric_host("1::2::3", &a), NumericHost::kNotNumeric);
  EXPECT_EQ(parse_numeric_host("1::2::3%1", &a), NumericHost::kNotNumeric);
}

TEST(Numeric, V4MappedScopeCheckedOnHalfConvertedAddressForAfInet) {
  Address a;
  EXPECT_EQ(parse_numeric_host("::ffff:254.128.0.1%lo", &a, AF_UNSPEC), NumericHost::kBadScope);
  EXPECT_EQ(parse_numeric_host("::ffff:254.128.0.1%lo", &a, AF_INET), NumericHost::kIPv6);
  EXPECT_EQ(text_of(a), "::ffff:254.128.0.1");
  EXPECT_EQ(parse_numeric_host("::ffff:1.2.3.4%lo", &a, AF_INET), NumericHost::kBadScope);
  EXPECT_EQ(parse_numeric_host("::ffff:1.2.3.4%7", &a, AF_INET), NumericHost::kIPv6);
}

// What glibc's own numeric path says (AI_NUMERICHOST never enters NSS).
NumericHost glibc_numeric(const char* name, Address* out) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(name, nullptr, &hints, &res);
  if (rc != 0) return NumericHost::kNotNumeric;
  memset(out, 0, sizeof *out);
  out->family = res->ai_family;
  if (res->ai_family == AF_INET) {
    memcpy(out->bytes, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(res->ai_addr);
    memcpy(out->bytes, &sin6->sin6_addr, 16);
    out->scope_id = sin6->sin6_scope_id;
  }
  freeaddrinfo(res);
  return out->family == AF_INET ? NumericHost::kIPv4 : NumericHost::kIPv6;
}

TEST(Numeric, MatchesGlibcOnRandomText) {
  std::mt19937 rng(12345);
  const char alphabet[] = "0123456789.xXabcdefABCDEF:%l o0189.";
  int numeric = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    int len = 1 + rng() % 14;
    for (int j = 0; j < len; ++j) s += alphabet[rng() % (sizeof alphabet - 1)];
    Address ours, theirs;
    NumericHost got = parse_numeric_host(s.c_str(), &ours);
    NumericHost want = glibc_numeric(s.c_str(), &theirs);
    if (got == NumericHost::kBadScope) got = NumericHost::kNotNumeric;  // EAI_NONAME as well
    ASSERT_EQ(got, want) << "[" << s << "]";
    if (got == NumericHost::kNotNumeric) continue;
    ++numeric;
    ASSERT_EQ(ours.family, theirs.family) << s;
    ASSERT_EQ(memcmp(ours.bytes, theirs.bytes, ours.family == AF_INET ? 4 : 16), 0) << s;
    ASSERT_EQ(ours.scope_id, theirs.scope_id) << s;
  }
  EXPECT_GT(numeric, 1000);
}

TEST(Numeric, FormatAddress) {
  Address a{};
  a.family = AF_INET6;
  a.bytes[15] = 1;
  char small[3];
  EXPECT_FALSE(format_address(a, small, sizeof small));
  char buf[INET6_ADDRSTRLEN];
  ASSERT_TRUE(format_address(a, buf, sizeof buf));
  EXPECT_STREQ(buf, "::1");
  a.family = 0;
  EXPECT_FALSE(format_address(a, buf, sizeof buf));
}

}  // namespace
}  // namespace aresolv
