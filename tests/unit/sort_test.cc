// The RFC 3484 comparison with injected source addresses. The ConfirmedCase
// tables were produced by running the system glibc 2.36's getaddrinfo on
// numeric /etc/hosts fixtures inside network namespaces (veth interfaces with
// the addresses noted per table) and recording the sources our probe saw: the
// expected column is glibc's order.
#include "resolver/sort.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <string.h>
#include <sys/socket.h>

#include <sstream>
#include <string>
#include <vector>

namespace aresolv {
namespace {

Address parse_address(const std::string& text) {
  Address a;
  memset(&a, 0, sizeof a);
  if (inet_pton(AF_INET, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), a.bytes), 1) << text;
    a.family = AF_INET6;
  }
  return a;
}

std::string format_address(const Address& a) {
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(a.family, a.bytes, buffer, sizeof buffer);
  return buffer;
}

std::vector<std::string> words(const char* text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// "-" is no source; otherwise "address/prefix_length/flags".
SourceInfo parse_source(const std::string& text) {
  SourceInfo s;
  if (text == "-") return s;
  size_t a = text.find('/');
  size_t b = text.find('/', a + 1);
  s.found = true;
  s.address = parse_address(text.substr(0, a));
  s.prefix_length = static_cast<uint8_t>(std::stoi(text.substr(a + 1, b - a - 1)));
  s.flags = static_cast<uint8_t>(std::stoi(text.substr(b + 1)));
  return s;
}

// Sorts `destinations` (space separated) with `sources` and returns the
// resulting order as text.
std::string sorted(const char* destinations, const char* sources, const GaiPolicy& policy) {
  std::vector<Address> d;
  for (const auto& w : words(destinations)) d.push_back(parse_address(w));
  std::vector<SourceInfo> s;
  for (const auto& w : words(sources)) s.push_back(parse_source(w));
  EXPECT_EQ(d.size(), s.size());
  std::vector<int> order(d.size());
  EXPECT_TRUE(
      sort_with_sources(d.data(), s.data(), static_cast<int>(d.size()), policy, order.data()));
  std::string out;
  for (int i : order) out += (out.empty() ? "" : " ") + format_address(d[i]);
  return out;
}

std::string sorted(const char* destinations, const char* sources) {
  GaiPolicy defaults;
  return sorted(destinations, sources, defaults);
}

// ---- one rule at a time ------------------------------------------------------

TEST(SortRules, Rule1PrefersDestinationsWithASource) {
  EXPECT_EQ(sorted("2001:db8::1 10.0.0.2", "- 10.0.0.1/24/0"), "10.0.0.2 2001:db8::1");
}

TEST(SortRules, Rule2PrefersMatchingScope) {
  // fe80::1 (scope 2) reached from a global source loses to a global pair,
  // although rule 8 alone would put the link-local first.
  EXPECT_EQ(sorted("fe80::1 2001:db8::1", "2001:db8::10/64/0 2001:db8::10/64/0"),
            "2001:db8::1 fe80::1");
  EXPECT_EQ(sorted("fe80::1 2001:db8::1", "fe80::10/64/0 2001:db8::10/64/0"),
            "fe80::1 2001:db8::1");
}

TEST(SortRules, Rule3AvoidsDeprecatedSources) {
  EXPECT_EQ(sorted("2001:db8::1 2001:db8::2", "2001:db8::10/64/1 2001:db8::11/64/0"),
            "2001:db8::2 2001:db8::1");
}

TEST(SortRules, Rule4PrefersHomeAddresses) {
  EXPECT_EQ(sorted("2001:db8::1 2001:db8::2", "2001:db8::10/64/0 2001:db8::11/64/2"),
            "2001:db8::2 2001:db8::1");
}

TEST(SortRules, Rule5PrefersMatchingLabel) {
  // fd00::1 (label 6) from a global source (label 1) loses to 2001:db8::1,
  // although both have precedence 40 and scope 14.
  EXPECT_EQ(sorted("fd00::1 2001:db8::1", "2001:db8::10/64/0 2001:db8::10/64/0"),
            "2001:db8::1 fd00::1");
}

TEST(SortRules, Rule6PrefersHigherPrecedence) {
  // Without sources: ::1 (50) > global IPv6 (40) > 2002::/16 (30) > ::/96 (20) > IPv4 (10).
  EXPECT_EQ(sorted("10.0.0.1 ::10.0.0.1 2002::1 2001:db8::1 ::1", "- - - - -"),
            "::1 2001:db8::1 2002::1 ::10.0.0.1 10.0.0.1");
}

TEST(SortRules, Rule8PrefersSmallerScope) {
  EXPECT_EQ(sorted("2001:db8::1 fec0::1 fe80::1", "- - -"), "fe80::1 fec0::1 2001:db8::1");
  // IPv4: 127/8 and 169.254/16 are link-local (2), everything else 14.
  EXPECT_EQ(sorted("10.0.0.1 169.254.1.1 127.0.0.2", "- - -"), "169.254.1.1 127.0.0.2 10.0.0.1");
  // ::ffff:127.0.0.1 is IPv6 and scope 14, not loopback.
  EXPECT_EQ(sorted("::ffff:127.0.0.1 ::ffff:10.0.0.1", "- -"), "::ffff:127.0.0.1 ::ffff:10.0.0.1");
}

TEST(SortRules, Rule8MulticastScopeField) {
  EXPECT_EQ(sorted("ff0e::1 ff05::1 ff02::1", "- - -"), "ff02::1 ff05::1 ff0e::1");
}

TEST(SortRules, Rule9Ipv6LongestMatchingPrefix) {
  EXPECT_EQ(sorted("2001:db8:ffff::1 2001:db8::1", "2001:db8::10/64/0 2001:db8::10/64/0"),
            "2001:db8::1 2001:db8:ffff::1");
}

TEST(SortRules, Rule9Ipv4OnlyWithinTheSourceSubnet) {
  // Same /24 as the source: more shared bits first.
  EXPECT_EQ(sorted("10.0.0.129 10.0.0.2", "10.0.0.1/24/0 10.0.0.1/24/0"), "10.0.0.2 10.0.0.129");
  // Outside the source's subnet both score 0: original order.
  EXPECT_EQ(sorted("10.0.1.2 10.0.2.129", "10.0.0.1/24/0 10.0.0.1/24/0"), "10.0.1.2 10.0.2.129");
  // Prefix length unknown (0: the host has no IPv6, so glibc kept no list):
  // the mask becomes all ones and only the source itself scores.
  EXPECT_EQ(sorted("10.0.0.129 10.0.0.2", "10.0.0.1/0/0 10.0.0.1/0/0"), "10.0.0.129 10.0.0.2");
  EXPECT_EQ(sorted("10.0.0.129 10.0.0.1", "10.0.0.1/0/0 10.0.0.1/0/0"), "10.0.0.1 10.0.0.129");
}

TEST(SortRules, Rule9OnlyBetweenSameFamily) {
  // 2001:db8:ffff::1 (few shared bits) stays before the IPv4 entry that
  // comes after it, but rule 9 still sorts the two IPv6 entries.
  GaiPolicy p;
  const char* sources = "2001:db8::10/64/0 10.0.0.1/24/0 2001:db8::10/64/0";
  // All have precedence 40 once IPv4 is raised to it.
  const char kConf[] = "precedence ::ffff:0:0/96 40\n";
  ASSERT_TRUE(parse_gai_conf(kConf, sizeof kConf - 1, &p));
  // Not transitive: a < b (index), b < c (index), c < a (rule 9). glibc's
  // merge sort compares (b, c) first, then a with b: a b c stays.
  EXPECT_EQ(sorted("2001:db8:ffff::1 10.0.0.2 2001:db8::1", sources, p),
            "2001:db8:ffff::1 10.0.0.2 2001:db8::1");
  // With four entries the halves (a b) (c d) merge as rule 9 dictates.
  EXPECT_EQ(sorted("2001:db8:ffff::1 10.0.0.2 2001:db8::1 10.0.0.3",
                   "2001:db8::10/64/0 10.0.0.1/24/0 2001:db8::10/64/0 10.0.0.1/24/0", p),
            "2001:db8::1 2001:db8:ffff::1 10.0.0.2 10.0.0.3");
  free_gai_policy(&p);
}

TEST(SortRules, Rule10KeepsOriginalOrderOfEquals) {
  EXPECT_EQ(sorted("10.0.0.3 10.0.0.2 10.0.0.3 10.0.0.1", "- - - -"),
            "10.0.0.3 10.0.0.2 10.0.0.3 10.0.0.1");
}

TEST(SortRules, CompareIsAntisymmetricAndNeverZero) {
  GaiPolicy p;
  Address a = parse_address("10.0.0.1");
  SourceInfo none;
  EXPECT_EQ(compare_destinations(a, none, 0, a, none, 1, p), -1);
  EXPECT_EQ(compare_destinations(a, none, 1, a, none, 0, p), 1);
}

// ---- orders confirmed against glibc 2.36 --------------------------------------

struct ConfirmedCase {
  const char* destinations;
  const char* sources;
  const char* expected;
};

// kDualStackDefault and friends: no gai.conf. Interfaces:
//   kDualStackDefault: 10.0.0.1/24, 192.168.1.10/16, 172.16.5.5/12, 2001:db8::10/64,
//     fd00::10/64, 2001:db8:1::5/48 (deprecated), fec0::7/64, 2002:c000:201::1/48;
//     default routes for both families.
//   kIpv4OnlyDefault: 10.0.0.1/24, 192.168.1.10/16, no IPv6 at all (so glibc
//     keeps no prefix lengths: every source shows /0).
//   kFlagsDefault: 10.0.0.1/24, 169.254.3.3/16, 2001:db8::10/64 (home),
//     2001:db8:1::5/48, fd00::10/64 (deprecated), routes only to 8/8,
//     2600::/16, 3fff::/16, 2002::/16.
const ConfirmedCase kDualStackDefault[] = {
    {"fd00::10 2002:0808:0808::1 10.0.0.1", "fd00::10/64/0 2001:db8::10/64/0 10.0.0.1/24/0",
     "fd00::10 10.0.0.1 2002:808:808::1"},
    {"fd00::10 2001:0:1::1 2001:db8:0:1::1 fe80::1 2001:0:1::1",
     "fd00::10/64/0 2001:db8::10/64/0 2001:db8::10/64/0 - 2001:db8::10/64/0",
     "fd00::10 2001:db8:0:1::1 2001:0:1::1 2001:0:1::1 fe80::1"},
    {"2001:0:1::1 172.20.0.1 2600::1 2001:0:1::1 10.0.1.5 ff02::1 2001:db8::10",
     "2001:db8::10/64/0 172.16.5.5/12/0 2001:db8::10/64/0 2001:db8::10/64/0 10.0.0.1/24/0 - "
     "2001:db8::10/64/0",
     "2001:db8::10 2600::1 172.20.0.1 10.0.1.5 2001:0:1::1 2001:0:1::1 ff02::1"},
    {"8.8.8.8 10.0.0.1 2001:db8:1::9 192.168.1.11",
     "10.0.0.1/24/0 10.0.0.1/24/0 2002:c000:201::1/48/0 192.168.1.10/16/0",
     "10.0.0.1 192.168.1.11 8.8.8.8 2001:db8:1::9"},
    {"ff0e::1 2001:db8:0:1::1 169.254.1.1 2001:0:1::1",
     "2001:db8::10/64/0 2001:db8::10/64/0 10.0.0.1/24/0 2001:db8::10/64/0",
     "2001:db8:0:1::1 ff0e::1 2001:0:1::1 169.254.1.1"},
    {"10.0.0.2 2600::1 192.168.1.10 2002:0808:0808::1 ::ffff:8.8.8.8 ff02::1 ff0e::1 2001:db8:1::5",
     "10.0.0.1/24/0 2001:db8::10/64/0 192.168.1.10/16/0 2001:db8::10/64/0 ::ffff:10.0.0.1/24/0 - "
     "2001:db8::10/64/0 2001:db8:1::5/48/1",
     "2600::1 ff0e::1 192.168.1.10 10.0.0.2 ::ffff:8.8.8.8 2002:808:808::1 2001:db8:1::5 ff02::1"},
    {"192.168.1.11 3fff::1 2001:db8:1::9 ff02::1 fd12::1 ff0e::1",
     "192.168.1.10/16/0 2001:db8::10/64/0 2002:c000:201::1/48/0 - fd00::10/64/0 2001:db8::10/64/0",
     "fd12::1 3fff::1 ff0e::1 192.168.1.11 2001:db8:1::9 ff02::1"},
    {"8.8.8.8 10.0.0.2 2002:0808:0808::1 fe80::1 10.0.0.129 2002:0808:0808::1",
     "10.0.0.1/24/0 10.0.0.1/24/0 2001:db8::10/64/0 - 10.0.0.1/24/0 2001:db8::10/64/0",
     "10.0.0.2 10.0.0.129 8.8.8.8 2002:808:808::1 2002:808:808::1 fe80::1"},
};

const ConfirmedCase kIpv4OnlyDefault[] = {
    {"2001:0:1::1 2002:0808:0808::1 8.8.8.8 8.8.8.8 2002:c000:201::2 10.0.1.5",
     "- - 10.0.0.1/0/0 10.0.0.1/0/0 - 10.0.0.1/0/0",
     "8.8.8.8 8.8.8.8 10.0.1.5 2001:0:1::1 2002:808:808::1 2002:c000:201::2"},
    {"fe80::1 fe80::1 10.0.0.129 ::10.0.0.5 fd00::10 8.8.8.8", "- - 10.0.0.1/0/0 - - 10.0.0.1/0/0",
     "10.0.0.129 8.8.8.8 fe80::1 fe80::1 fd00::10 ::10.0.0.5"},
    {"::ffff:10.0.0.2 ::10.0.0.5 8.8.8.8 2002:c000:201::2", "::ffff:10.0.0.1/0/0 - 10.0.0.1/0/0 -",
     "::ffff:10.0.0.2 8.8.8.8 2002:c000:201::2 ::10.0.0.5"},
    {"2001:0:1::1 172.20.0.1 ::1 2001::1 10.0.0.129", "- 10.0.0.1/0/0 ::1/0/0 - 10.0.0.1/0/0",
     "::1 172.20.0.1 10.0.0.129 2001:0:1::1 2001::1"},
    {"2001:db8::1 2001:db8::ffff fe80::1 2001:0:1::1 ::ffff:10.0.0.2 2001:db8:0:1::1 10.0.0.129",
     "- - - - ::ffff:10.0.0.1/0/0 - 10.0.0.1/0/0",
     "::ffff:10.0.0.2 10.0.0.129 fe80::1 2001:db8::1 2001:db8::ffff 2001:0:1::1 2001:db8:0:1::1"},
};

const ConfirmedCase kFlagsDefault[] = {
    {"10.0.0.129 ::ffff:10.0.0.2 1.2.3.4", "10.0.0.1/24/0 ::ffff:10.0.0.1/24/0 -",
     "10.0.0.129 ::ffff:10.0.0.2 1.2.3.4"},
    {"2001:db8::ffff 2001:db8::1 10.0.0.2", "2001:db8::10/64/2 2001:db8::10/64/2 10.0.0.1/24/0",
     "2001:db8::1 2001:db8::ffff 10.0.0.2"},
    {"fd12::1 192.168.1.11 172.20.0.1 172.16.5.5", "- - - -",
     "fd12::1 192.168.1.11 172.20.0.1 172.16.5.5"},
    {"ff0e::1 fd12::1 2600::1", "2001:db8:1::5/48/0 - 2001:db8:1::5/48/0",
     "2600::1 ff0e::1 fd12::1"},
    {"3fff::1 fec0::1 fe80::1 8.8.8.8 ::ffff:10.0.0.2",
     "2001:db8::10/64/2 - - 10.0.0.1/24/0 ::ffff:10.0.0.1/24/0",
     "3fff::1 8.8.8.8 ::ffff:10.0.0.2 fe80::1 fec0::1"},
    {"192.168.1.11 2001:db8:1::9 192.168.1.10 2001::1 2001::1 2001:db8::ffff 169.254.1.1 "
     "172.16.5.5",
     "- 2001:db8:1::5/48/0 - - - 2001:db8::10/64/2 169.254.3.3/16/0 -",
     "2001:db8::ffff 2001:db8:1::9 169.254.1.1 2001::1 2001::1 192.168.1.11 192.168.1.10 "
     "172.16.5.5"},
};

const ConfirmedCase kPreferIpv4Conf[] = {
    {"192.168.7.7 3fff::1 1.2.3.4 172.20.0.1 2002:0808:0808::1 2001:0:1::1",
     "192.168.1.10/16/0 2001:db8::10/64/0 10.0.0.1/24/0 172.16.5.5/12/0 2001:db8::10/64/0 "
     "2001:db8::10/64/0",
     "192.168.7.7 172.20.0.1 1.2.3.4 3fff::1 2001:0:1::1 2002:808:808::1"},
    {"192.168.1.11 2600::1 127.0.0.2 fd00::10 2002:0808:0808::1",
     "192.168.1.10/16/0 2001:db8::10/64/0 127.0.0.1/8/0 fd00::10/64/0 2001:db8::10/64/0",
     "127.0.0.2 192.168.1.11 fd00::10 2600::1 2002:808:808::1"},
    {"fe80::1 192.168.1.10 2001::1", "- 192.168.1.10/16/0 2001:db8::10/64/0",
     "192.168.1.10 2001::1 fe80::1"},
    {"::10.0.0.5 fd12::1 127.0.0.1 8.8.8.8 2001:db8::10 2001:db8:1::5 2001:db8::1 1.2.3.4",
     "2001:db8::10/64/0 fd00::10/64/0 127.0.0.1/8/0 10.0.0.1/24/0 2001:db8::10/64/0 "
     "2001:db8:1::5/48/1 2001:db8::10/64/0 10.0.0.1/24/0",
     "127.0.0.1 8.8.8.8 1.2.3.4 2001:db8::10 2001:db8::1 fd12::1 ::10.0.0.5 2001:db8:1::5"},
};

const ConfirmedCase kScopesConf[] = {
    {"2001:0:1::1 192.168.1.11 ff02::1 ::ffff:10.0.0.2 2001::1 2001:db8::10",
     "2001:db8::10/64/0 192.168.1.10/16/0 - ::ffff:10.0.0.1/24/0 2001:db8::10/64/0 "
     "2001:db8::10/64/0",
     "192.168.1.11 ::ffff:10.0.0.2 2001:db8::10 2001:0:1::1 2001::1 ff02::1"},
    {"169.254.1.1 192.168.1.11 8.8.8.8 2001:db8::10 172.20.0.1 8.8.8.8 3fff::1",
     "10.0.0.1/24/0 192.168.1.10/16/0 10.0.0.1/24/0 2001:db8::10/64/0 172.16.5.5/12/0 "
     "10.0.0.1/24/0 2001:db8::10/64/0",
     "192.168.1.11 172.20.0.1 3fff::1 2001:db8::10 169.254.1.1 8.8.8.8 8.8.8.8"},
    {"fd00::10 10.0.0.1 ::ffff:8.8.8.8 2001:db8:1::9 fd00::10 2001:db8:0:1::1 fd00::1 192.168.7.7",
     "fd00::10/64/0 10.0.0.1/24/0 ::ffff:10.0.0.1/24/0 2002:c000:201::1/48/0 fd00::10/64/0 "
     "2001:db8::10/64/0 fd00::10/64/0 192.168.1.10/16/0",
     "fd00::10 fd00::10 fd00::1 192.168.7.7 10.0.0.1 ::ffff:8.8.8.8 2001:db8:0:1::1 2001:db8:1::9"},
    {"192.168.7.7 2001:db8:1::5 2001:db8::10",
     "192.168.1.10/16/0 2001:db8:1::5/48/1 2001:db8::10/64/0",
     "192.168.7.7 2001:db8::10 2001:db8:1::5"},
};

const ConfirmedCase kLabelsConf[] = {
    {"192.168.7.7 2001:db8:1::9 2001:db8::10", "- 2001:db8:1::5/48/0 2001:db8::10/64/2",
     "2001:db8::10 2001:db8:1::9 192.168.7.7"},
    {"2001:db8::10 2001:db8::1 169.254.1.1 fd00::1",
     "2001:db8::10/64/2 2001:db8::10/64/2 169.254.3.3/16/0 2001:db8:1::5/48/0",
     "2001:db8::10 2001:db8::1 169.254.1.1 fd00::1"},
    {"::10.0.0.5 172.20.0.1 ::ffff:8.8.8.8 8.8.8.8 172.20.0.1",
     "- - ::ffff:10.0.0.1/24/0 10.0.0.1/24/0 -",
     "::ffff:8.8.8.8 8.8.8.8 ::10.0.0.5 172.20.0.1 172.20.0.1"},
    {"2001:db8::1 2001:db8:0:1::1 ::1 2001:db8:1::9 ::ffff:10.0.0.2 ::1 172.16.5.5 ff0e::1",
     "2001:db8::10/64/2 - ::1/128/0 2001:db8:1::5/48/0 ::ffff:10.0.0.1/24/0 ::1/128/0 - "
     "2001:db8:1::5/48/0",
     "2001:db8::1 ::1 ::1 ::ffff:10.0.0.2 2001:db8:1::9 ff0e::1 2001:db8:0:1::1 172.16.5.5"},
};
void check_cases(const ConfirmedCase* cases, size_t count, const char* conf) {
  GaiPolicy policy;
  ASSERT_TRUE(parse_gai_conf(conf, strlen(conf), &policy));
  for (size_t i = 0; i < count; ++i)
    EXPECT_EQ(sorted(cases[i].destinations, cases[i].sources, policy), cases[i].expected)
        << "case " << i << ": " << cases[i].destinations;
  free_gai_policy(&policy);
}

TEST(SortConfirmed, DualStackDefaultPolicy) {
  check_cases(kDualStackDefault, sizeof kDualStackDefault / sizeof kDualStackDefault[0], "");
}

TEST(SortConfirmed, Ipv4OnlyDefaultPolicy) {
  check_cases(kIpv4OnlyDefault, sizeof kIpv4OnlyDefault / sizeof kIpv4OnlyDefault[0], "");
}

TEST(SortConfirmed, DeprecatedAndHomeSources) {
  check_cases(kFlagsDefault, sizeof kFlagsDefault / sizeof kFlagsDefault[0], "");
}

TEST(SortConfirmed, PreferIpv4GaiConf) {
  check_cases(kPreferIpv4Conf, sizeof kPreferIpv4Conf / sizeof kPreferIpv4Conf[0],
              "precedence ::ffff:0:0/96 100\n");
}

TEST(SortConfirmed, ScopesAndPrecedenceGaiConf) {
  check_cases(kScopesConf, sizeof kScopesConf / sizeof kScopesConf[0],
              "scopev4 ::ffff:10.0.0.0/104 5\nscopev4 192.168.0.0/16 3\n"
              "scopev4 127.0.0.0/8 1\nprecedence 2001:db8::/32 5\n"
              "precedence ::/96 45\nprecedence fd00::/8 60\n");
}

TEST(SortConfirmed, LabelsGaiConf) {
  check_cases(kLabelsConf, sizeof kLabelsConf / sizeof kLabelsConf[0],
              "label 2001:db8:1::/48 20\nlabel 2600::/16 20\n"
              "precedence ::ffff:0:0/96 40\nprecedence ::/0 40\n"
              "scopev4 8.0.0.0/8 1\nscopev4 0.0.0.0/0 30\n");
}

// ---- the probe -------------------------------------------------------------

bool loopback_reachable() {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  struct sockaddr_in sin = {};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<struct sockaddr*>(&sin), sizeof sin) == 0;
  close(fd);
  return ok;
}

TEST(SortProbe, LearnsLoopbackSourcesAndCopiesRepeats) {
  if (!loopback_reachable()) GTEST_SKIP() << "no loopback interface";
  Address d[3] = {parse_address("127.0.0.1"), parse_address("127.0.0.1"),
                  parse_address("192.0.2.1")};
  LocalAddresses* local = static_cast<LocalAddresses*>(calloc(1, sizeof(LocalAddresses)));
  local->listed = false;
  SourceInfo s[3];
  probe_sources(d, 3, 0, *local, s);
  ASSERT_TRUE(s[0].found);
  EXPECT_EQ(format_address(s[0].address), "127.0.0.1");
  EXPECT_EQ(s[0].address.family, AF_INET);
  EXPECT_EQ(s[1].found, s[0].found);
  EXPECT_EQ(format_address(s[1].address), "127.0.0.1");
  free(local);
}

TEST(SortProbe, SortDestinationsPutsReachableFirst) {
  if (!loopback_reachable()) GTEST_SKIP() << "no loopback interface";
  // A link-local destination without a scope id cannot be connected to
  // (EINVAL): no source, so it goes last despite its smaller scope.
  Address d[2] = {parse_address("fe80::1"), parse_address("127.0.0.1")};
  ASSERT_TRUE(sort_destinations(d, 2, "/nonexistent/gai.conf"));
  EXPECT_EQ(format_address(d[0]), "127.0.0.1");
  EXPECT_EQ(format_address(d[1]), "fe80::1");
}

// ---- interfaces --------------------------------------------------------------

TEST(Interfaces, AddrconfigFamilyAsGlibc) {
  EXPECT_EQ(addrconfig_family(AF_UNSPEC, true, true), AF_UNSPEC);
  EXPECT_EQ(addrconfig_family(AF_UNSPEC, true, false), AF_INET);
  EXPECT_EQ(addrconfig_family(AF_UNSPEC, false, true), AF_INET6);
  EXPECT_EQ(addrconfig_family(AF_UNSPEC, false, false), AF_UNSPEC);  // not narrowed, not refused
  EXPECT_EQ(addrconfig_family(AF_INET, false, true), -1);
  EXPECT_EQ(addrconfig_family(AF_INET, true, false), AF_INET);
  EXPECT_EQ(addrconfig_family(AF_INET6, true, false), -1);
  EXPECT_EQ(addrconfig_family(AF_INET6, false, true), AF_INET6);
}

TEST(Interfaces, QueryDescribesThisHost) {
  LocalAddresses* local = static_cast<LocalAddresses*>(calloc(1, sizeof(LocalAddresses)));
  ASSERT_TRUE(query_local_addresses(local));
  EXPECT_TRUE(local->listed);
  if (!local->seen_ipv6) EXPECT_EQ(local->count, 0);  // glibc drops the list
  sort_local_addresses(local);
  for (int i = 0; i < local->count; ++i) {
    if (i > 0) EXPECT_LE(memcmp(local->addresses[i - 1].bytes, local->addresses[i].bytes, 16), 0);
    EXPECT_NE(find_local_address(*local, local->addresses[i].bytes), nullptr);
  }
  free(local);
}

TEST(Interfaces, FindUsesGlibcBinarySearchOnDuplicates) {
  LocalAddresses* local = static_cast<LocalAddresses*>(calloc(1, sizeof(LocalAddresses)));
  local->listed = true;
  local->count = 3;
  for (int i = 0; i < 3; ++i) {
    local->addresses[i].bytes[15] = 7;
    local->addresses[i].interface_index = static_cast<uint32_t>(i + 1);
  }
  local->addresses[0].bytes[15] = 9;  // sorts last
  sort_local_addresses(local);
  EXPECT_EQ(local->addresses[0].interface_index, 2u);  // stable among equals
  EXPECT_EQ(local->addresses[1].interface_index, 3u);
  uint8_t key[16] = {0};
  key[15] = 7;
  // bsearch over 3: middle index 1 matches first.
  EXPECT_EQ(find_local_address(*local, key)->interface_index, 3u);
  key[15] = 8;
  EXPECT_EQ(find_local_address(*local, key), nullptr);
  free(local);
}

}  // namespace
}  // namespace aresolv
