// resolv.conf parsing compared with glibc 2.36. The expectations in kGlibcCases
// were produced by running glibc's own res_init() on this machine (Debian 12,
// glibc 2.36) with each text bind-mounted over /etc/resolv.conf, the host name
// set in a UTS namespace, and LOCALDOMAIN/RES_OPTIONS in the environment, then
// printing _res in the format of dump() below.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>

#include <memory>
#include <string>
#include <type_traits>

#include "resolver/config.h"

namespace aresolv {
namespace {

std::string dump(const ResolvConf& c) {
  std::string s = "ns=";
  for (int i = 0; i < c.nameserver_count; ++i) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(c.nameservers[i].family, c.nameservers[i].bytes, buf, sizeof buf);
    if (i) s += ",";
    s += buf;
    if (c.nameservers[i].scope_id) s += "%" + std::to_string(c.nameservers[i].scope_id);
  }
  s += ";search=";
  // glibc's _res.dnsrch shows at most six entries.
  for (int i = 0; i < c.search_count && i < 6; ++i)
    s += std::string(i ? "," : "") + "[" + c.search[i] + "]";
  s += ";ndots=" + std::to_string(c.ndots) + ";timeout=" + std::to_string(c.timeout) +
       ";attempts=" + std::to_string(c.attempts) + ";opts=";
  if (c.rotate) s += "rotate,";
  if (c.edns0) s += "edns0,";
  if (c.single_request) s += "single-request,";
  if (c.single_request_reopen) s += "single-request-reopen,";
  if (c.no_tld_query) s += "no-tld-query,";
  if (c.use_vc) s += "use-vc,";
  if (c.no_aaaa) s += "no-aaaa,";
  if (c.trust_ad) s += "trust-ad,";
  if (c.no_reload) s += "no-reload,";
  return s;
}

// Parses from a heap copy of exactly `text.size()` bytes, so that AddressSanitizer
// catches any read past the end (the parser must not expect a terminating NUL).
ResolvConf parse(const std::string& text, const char* localdomain = nullptr,
                 const char* res_options = nullptr, const char* hostname = "h.x") {
  std::unique_ptr<char[]> copy(new char[text.size() ? text.size() : 1]);
  memcpy(copy.get(), text.data(), text.size());
  ResolvConf conf;
  parse_resolv_conf(copy.get(), text.size(), localdomain, res_options, hostname, &conf);
  return conf;
}

struct GlibcCase {
  const char* name;
  std::string text;
  const char* localdomain;
  const char* res_options;
  const char* hostname;
  const char* expected;
};

const GlibcCase kGlibcCases[] = {
    {"empty file", std::string("", 0), nullptr, nullptr, "host.example.com",
     "ns=127.0.0.1;search=[example.com];ndots=1;timeout=5;attempts=2;opts="},
    {"empty file no-dot hostname", std::string("", 0), nullptr, nullptr, "host",
     "ns=127.0.0.1;search=;ndots=1;timeout=5;attempts=2;opts="},
    {"hostname trailing dot", std::string("", 0), nullptr, nullptr, "host.",
     "ns=127.0.0.1;search=[];ndots=1;timeout=5;attempts=2;opts="},
    {"hostname two dots", std::string("", 0), nullptr, nullptr, "a.b.c",
     "ns=127.0.0.1;search=[b.c];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain on empty file", std::string("", 0), "example.net", nullptr, "host.example.com",
     "ns=127.0.0.1;search=[example.net];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain empty string", std::string("search a.example\n", 17), "", nullptr,
     "host.example.com", "ns=127.0.0.1;search=[];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain leading space", std::string("", 0), " a b", nullptr, "h.x",
     "ns=127.0.0.1;search=[],[a],[b];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain tabs and newline", std::string("", 0), "a\tb  c\nd e", nullptr, "h.x",
     "ns=127.0.0.1;search=[a],[b],[c];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain overrides domain", std::string("domain d.example\nsearch s.example\n", 34),
     "l.example", nullptr, "h.x",
     "ns=127.0.0.1;search=[l.example];ndots=1;timeout=5;attempts=2;opts="},
    {"res_options on empty file", std::string("", 0), nullptr, "edns0 attempts:5", "h.x",
     "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=5;opts=edns0,"},
    {"basic", std::string("search corp.example.com example.com\nnameserver 192.0.2.1\n", 57),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1;search=[corp.example.com],[example.com];ndots=1;timeout=5;attempts=2;opts="},
    {"whitespace",
     std::string("# c\n\n;search commented out\nsearch corp.example.com\texample.com \n#nameserver "
                 "192.0.2.3\nnameserver 192.0.2.1 \nnameserver 192.0.2.2",
                 128),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1,192.0.2.2;search=[corp.example.com],[example.com];ndots=1;timeout=5;attempts=2;"
     "opts="},
    {"domain", std::string("domain example.net\nnameserver 192.0.2.1\n", 40), nullptr, nullptr,
     "h.x", "ns=192.0.2.1;search=[example.net];ndots=1;timeout=5;attempts=2;opts="},
    {"domain trailing words", std::string("domain  example.net  other\n", 27), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[example.net];ndots=1;timeout=5;attempts=2;opts="},
    {"domain override",
     std::string("search example.com example.org\nnameserver 192.0.2.1\ndomain example.net", 70),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1;search=[example.net];ndots=1;timeout=5;attempts=2;opts="},
    {"search after domain", std::string("domain example.net\nsearch a.example b.example\n", 46),
     nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[a.example],[b.example];ndots=1;timeout=5;attempts=2;opts="},
    {"empty search keeps previous",
     std::string("search a.example\nsearch\nsearch   \ndomain\ndomain \t\n", 50), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[a.example];ndots=1;timeout=5;attempts=2;opts="},
    {"search comment not stripped", std::string("search a.example # comment\n", 27), nullptr,
     nullptr, "h.x",
     "ns=127.0.0.1;search=[a.example],[#],[comment];ndots=1;timeout=5;attempts=2;opts="},
    {"search with CR", std::string("search a.example\r\nnameserver 192.0.2.1\r\n", 40), nullptr,
     nullptr, "h.x", "ns=127.0.0.1;search=[a.example\r];ndots=1;timeout=5;attempts=2;opts="},
    {"indented keywords ignored",
     std::string(" nameserver 192.0.2.9\n\tsearch x.example\nnameserver 192.0.2.1\n", 61), nullptr,
     nullptr, "h.x", "ns=192.0.2.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"keyword without blank",
     std::string("nameserver\nsearch\nnameserver192.0.2.1\nsearchx.example\n", 54), nullptr,
     nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"keyword case", std::string("NAMESERVER 192.0.2.1\nSearch x.example\n", 38), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"option values multiple servers",
     std::string("options\tinet6\tndots:3 edns0\tattempts:5\ttimeout:19\ndomain  "
                 "example.net\n;domain comment\nsearch corp.example.com\texample.com\nnameserver "
                 "192.0.2.1\nnameserver ::1\nnameserver 192.0.2.2\n",
                 179),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1,::1,192.0.2.2;search=[corp.example.com],[example.com];ndots=3;timeout=19;"
     "attempts=5;opts=edns0,"},
    {"out of range",
     std::string("options use-vc timeout:999 attempts:999 ndots:99\nsearch example.com\n", 68),
     nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[example.com];ndots=15;timeout=30;attempts=5;opts=use-vc,"},
    {"repeated directives",
     std::string("options ndots:3 use-vc\noptions edns0 ndots:2\ndomain corp.example\nsearch "
                 "example.net corp.example.com example.com\nsearch example.org\nsearch\n",
                 139),
     nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[example.org];ndots=2;timeout=5;attempts=2;opts=edns0,use-vc,"},
    {"many servers",
     std::string(
         "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\n",
         84),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1,192.0.2.2,192.0.2.3;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"garbage after nameserver",
     std::string(
         "nameserver 192.0.2.1 garbage\nnameserver 192.0.2.2:5353\nnameserver 192.0.2.3 5353\n",
         81),
     nullptr, nullptr, "h.x",
     "ns=192.0.2.1,192.0.2.3;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"nameserver CR", std::string("nameserver 192.0.2.1\r\nnameserver 192.0.2.2\n", 43), nullptr,
     nullptr, "h.x", "ns=192.0.2.2;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"nameserver inet_aton forms",
     std::string("nameserver 127.1\nnameserver 0x7f.0.0.2\nnameserver 017700000003\n", 63), nullptr,
     nullptr, "h.x",
     "ns=127.0.0.1,127.0.0.2,127.0.0.3;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"nameserver bad forms",
     std::string("nameserver 1.2.3.256\nnameserver 1.2.3.4.\nnameserver 08.1.1.1\nnameserver "
                 "0x\nnameserver 1..2\nnameserver 4294967296\nnameserver 192.0.2.1\n",
                 134),
     nullptr, nullptr, "h.x", "ns=192.0.2.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"nameserver 32-bit and 24-bit",
     std::string("nameserver 4294967295\nnameserver 1.16777215\nnameserver 1.2.65535\n", 65),
     nullptr, nullptr, "h.x",
     "ns=255.255.255.255,1.255.255.255,1.2.255.255;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"nameserver comment glued",
     std::string("nameserver 192.0.2.1#x\nnameserver 192.0.2.2 #x\n", 47), nullptr, nullptr, "h.x",
     "ns=192.0.2.2;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"ipv6 scope",
     std::string("nameserver fe80::1%lo\nnameserver fe80::2%7\nnameserver 2001:db8::1%5\n", 68),
     nullptr, nullptr, "h.x",
     "ns=fe80::1%1,fe80::2%7,2001:db8::1%5;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"ipv6 bad scope",
     std::string(
         "nameserver fe80::1%nosuchif\nnameserver fe80::2%99999999999\nnameserver fe80::3%\n", 79),
     nullptr, nullptr, "h.x",
     "ns=fe80::1,fe80::2,fe80::3;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"ipv6 mapped and v4 scope",
     std::string("nameserver ::ffff:192.0.2.1\nnameserver 192.0.2.2%lo\nnameserver ff02::1%lo\n",
                 74),
     nullptr, nullptr, "h.x",
     "ns=::ffff:192.0.2.1,ff02::1%1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"ipv6 invalid",
     std::string(
         "nameserver 2001:db8::g\nnameserver 1:2:3:4:5:6:7:8:9\nnameserver 2001:db8::00001\n", 79),
     nullptr, nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"sortlist ignored",
     std::string("sortlist 192.0.2.0/255.255.255.0\nnameserver 192.0.2.1\n", 54), nullptr, nullptr,
     "h.x", "ns=192.0.2.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"options prefix matching",
     std::string("options rotatex edns0junk single-request-reopenx no_tld_query trust-adx no-aaaa "
                 "use-vc no-reload\n",
                 97),
     nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts=rotate,edns0,single-request-reopen,"
     "no-tld-query,use-vc,no-aaaa,trust-ad,no-reload,"},
    {"options single-request only", std::string("options single-request\n", 23), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts=single-request,"},
    {"options no-tld-query", std::string("options no-tld-query\n", 21), nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts=no-tld-query,"},
    {"options unknown ignored", std::string("options inet6 debug ip6-dotint blast foo:3\n", 43),
     nullptr, nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"ndots zero", std::string("options ndots:0\n", 16), nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=0;timeout=5;attempts=2;opts="},
    {"ndots negative", std::string("options ndots:-1 timeout:-3 attempts:-2\n", 40), nullptr,
     nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=15;timeout=-3;attempts=-2;opts="},
    {"ndots -16", std::string("options ndots:-16\n", 18), nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=0;timeout=5;attempts=2;opts="},
    {"numbers atoi", std::string("options ndots: 3 timeout:+7 attempts:3x\n", 40), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[x];ndots=3;timeout=7;attempts=3;opts="},
    {"numbers huge",
     std::string("options ndots:99999999999 timeout:4294967297 attempts:-99999999999999999999\n",
                 76),
     nullptr, nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=15;timeout=1;attempts=0;opts="},
    {"numbers empty", std::string("options ndots: timeout: attempts:\n", 34), nullptr, nullptr,
     "h.x", "ns=127.0.0.1;search=[x];ndots=0;timeout=0;attempts=0;opts="},
    {"zero values", std::string("options timeout:0 attempts:0\n", 29), nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=1;timeout=0;attempts=0;opts="},
    {"options keyword needs blank", std::string("options\noptions:rotate\noptionsedns0\n", 36),
     nullptr, nullptr, "h.x", "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts="},
    {"res_options cumulative",
     std::string("options timeout:7 ndots:2 use-vc\nnameserver 192.0.2.1\n", 54), nullptr,
     "attempts:5 ndots:3 edns0 ", "h.x",
     "ns=192.0.2.1;search=[x];ndots=3;timeout=7;attempts=5;opts=edns0,use-vc,"},
    {"res_options newline", std::string("", 0), nullptr, "rotate\nedns0 ndots:\n4", "h.x",
     "ns=127.0.0.1;search=[x];ndots=4;timeout=5;attempts=2;opts=rotate,"},
    {"res_options overrides", std::string("options ndots:5 attempts:1\n", 27), nullptr, "ndots:2",
     "h.x", "ns=127.0.0.1;search=[x];ndots=2;timeout=5;attempts=1;opts="},
    {"six search entries",
     std::string("search a.example b.example c.example d.example e.example f.example\n", 67),
     nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[a.example],[b.example],[c.example],[d.example],[e.example],[f.example];"
     "ndots=1;timeout=5;attempts=2;opts="},
    {"nul in line",
     std::string("nameserver 192.0.2.1\0garbage\nsearch a.example\0 b.example\n", 57), nullptr,
     nullptr, "h.x", "ns=192.0.2.1;search=[a.example];ndots=1;timeout=5;attempts=2;opts="},
    {"localdomain with res_options", std::string("", 0), "example.org", "edns0 attempts:5", "h.x",
     "ns=127.0.0.1;search=[example.org];ndots=1;timeout=5;attempts=5;opts=edns0,"},
    {"comment after options", std::string("options rotate # edns0\n", 23), nullptr, nullptr, "h.x",
     "ns=127.0.0.1;search=[x];ndots=1;timeout=5;attempts=2;opts=rotate,edns0,"},
};

TEST(ResolvConf, MatchesGlibc) {
  for (const GlibcCase& c : kGlibcCases) {
    std::string expected = c.expected;
    // "lo" is interface 1 on every Linux system, as on the machine that produced these.
    ASSERT_EQ(if_nametoindex("lo"), 1u);
    EXPECT_EQ(dump(parse(c.text, c.localdomain, c.res_options, c.hostname)), expected) << c.name;
  }
}

TEST(ResolvConf, Defaults) {
  ResolvConf c = parse("");
  EXPECT_EQ(c.nameserver_count, 1);
  EXPECT_EQ(c.nameservers[0].family, AF_INET);
  EXPECT_EQ(c.nameservers[0].port, 53);
  EXPECT_EQ(c.ndots, 1);
  EXPECT_EQ(c.timeout, 5);
  EXPECT_EQ(c.attempts, 2);
  EXPECT_FALSE(c.search_truncated);
}

TEST(ResolvConf, NoHostnameNoSearch) {
  ResolvConf c = parse("", nullptr, nullptr, nullptr);
  EXPECT_EQ(c.search_count, 0);
}

// glibc keeps all of these (since 2.26); only _res.dnsrch shows six.
TEST(ResolvConf, MoreThanSixSearchDomains) {
  ResolvConf c = parse("search a b c d e f g h\n");
  ASSERT_EQ(c.search_count, 8);
  EXPECT_STREQ(c.search[6], "g");
  EXPECT_STREQ(c.search[7], "h");
}

TEST(ResolvConf, SearchListLimits) {
  std::string line = "search";
  for (int i = 0; i < kMaxSearchDomains + 5; ++i) line += " d" + std::to_string(i);
  ResolvConf c = parse(line + "\n");
  EXPECT_EQ(c.search_count, kMaxSearchDomains);
  EXPECT_TRUE(c.search_truncated);
  EXPECT_STREQ(c.search[kMaxSearchDomains - 1],
               ("d" + std::to_string(kMaxSearchDomains - 1)).c_str());

  std::string big(kMaxSearchListChars + 10, 'a');
  c = parse("search short " + big + " after\n");
  ASSERT_EQ(c.search_count, 2);
  EXPECT_STREQ(c.search[0], "short");
  EXPECT_STREQ(c.search[1], "after");
  EXPECT_TRUE(c.search_truncated);

  // glibc would have a (long) search list, so the host name must not supply one.
  c = parse("search " + big + "\n", nullptr, nullptr, "h.example");
  EXPECT_EQ(c.search_count, 0);
  EXPECT_TRUE(c.search_truncated);

  // A later search line starts afresh.
  c = parse("search " + big + "\nsearch ok\n");
  ASSERT_EQ(c.search_count, 1);
  EXPECT_FALSE(c.search_truncated);
}

TEST(ResolvConf, CopyIsIndependent) {
  ResolvConf a = parse("search one.example two.example\n");
  ResolvConf b = a;
  a = parse("search three.example\n");
  ASSERT_EQ(b.search_count, 2);
  EXPECT_STREQ(b.search[0], "one.example");
  EXPECT_STREQ(b.search[1], "two.example");
  ResolvConf c;
  memcpy(static_cast<void*>(&c), &b, sizeof c);
  EXPECT_STREQ(c.search[1], "two.example");
  static_assert(std::is_trivially_copyable<ResolvConf>::value, "ResolvConf must stay plain");
}

TEST(ResolvConf, NameserverDetails) {
  ResolvConf c = parse("nameserver 2001:db8::53\nnameserver 192.0.2.1\n");
  ASSERT_EQ(c.nameserver_count, 2);
  EXPECT_EQ(c.nameservers[0].family, AF_INET6);
  EXPECT_EQ(c.nameservers[0].bytes[0], 0x20);
  EXPECT_EQ(c.nameservers[0].bytes[15], 0x53);
  EXPECT_EQ(c.nameservers[0].port, 53);
  EXPECT_EQ(c.nameservers[1].family, AF_INET);
  EXPECT_EQ(c.nameservers[1].bytes[0], 192);
  EXPECT_EQ(c.nameservers[1].bytes[3], 1);
}

TEST(ResolvConf, LastLineWithoutNewline) {
  ResolvConf c = parse("nameserver 192.0.2.7");
  ASSERT_EQ(c.nameserver_count, 1);
  EXPECT_EQ(c.nameservers[0].bytes[3], 7);
}

TEST(ResolvConf, TruncatedInputNeverReadsPastLength) {
  const std::string text =
      "nameserver 192.0.2.1\nsearch a.example b.example\noptions ndots:3 timeout:2 rotate\n"
      "nameserver fe80::1%lo\ndomain x.example\n";
  for (size_t n = 0; n <= text.size(); ++n) parse(text.substr(0, n));
  ResolvConf c = parse(text.substr(0, 26));  // "...\nsearc" is no keyword
  EXPECT_EQ(c.search_count, 1);
  EXPECT_STREQ(c.search[0], "x");
}

TEST(Ipv4Exact, Forms) {
  uint8_t a[4];
  auto ok = [&](const char* s) { return parse_ipv4_exact(s, strlen(s), a); };
  EXPECT_TRUE(ok("1.2.3.4"));
  EXPECT_TRUE(ok("0"));
  EXPECT_EQ(a[0] | a[1] | a[2] | a[3], 0);
  EXPECT_TRUE(ok("0x0a.0.0.1"));
  EXPECT_EQ(a[0], 10);
  EXPECT_TRUE(ok("0XFFFFFFFF"));
  EXPECT_FALSE(ok(""));
  EXPECT_FALSE(ok("1.2.3.4 "));
  EXPECT_FALSE(ok("+1.2.3.4"));
  EXPECT_FALSE(ok("1.2.3.0x"));
  EXPECT_FALSE(ok("0x100000000"));
  EXPECT_FALSE(ok("1.0x1000000"));
  EXPECT_TRUE(ok("1.0xffffff"));
  EXPECT_FALSE(ok("09"));
  EXPECT_TRUE(ok("0000000000000000000000000000000000000001"));
  EXPECT_EQ(a[3], 1);
}

}  // namespace
}  // namespace aresolv
