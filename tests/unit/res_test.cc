// resolver/res_state.h against glibc 2.36 itself: unit_tests is not
// preloaded, so res_mkquery, res_nmkquery and res_ninit here are libc's own,
// and our make_query / fill_res_state must produce the same bytes and fields.
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "resolver/config.h"
#include "resolver/res_state.h"

namespace aresolv {
namespace {

std::string hex(const unsigned char* bytes, int length) {
  std::string out;
  char two[3];
  for (int i = 0; i < length; ++i) {
    snprintf(two, sizeof two, "%02x", bytes[i]);
    out += two;
  }
  return out;
}

// A res_state initialised by glibc, whose options can then be tweaked as a
// program would before calling res_nmkquery.
struct GlibcState {
  struct __res_state state;
  GlibcState() {
    memset(&state, 0, sizeof state);
    EXPECT_EQ(res_ninit(&state), 0);
  }
  ~GlibcState() { res_nclose(&state); }
};

struct QueryCase {
  int op;
  const char* name;
  int cls;
  int type;
  const char* data;  // NS_NOTIFY_OP's completion domain
};

const QueryCase kQueryCases[] = {
    {QUERY, "example.com", C_IN, T_A, nullptr},
    {QUERY, "example.com.", C_IN, T_AAAA, nullptr},
    {QUERY, "a.b.c.d.e.example.org", C_IN, T_CNAME, nullptr},
    {QUERY, "2.100.51.198.in-addr.arpa", C_IN, T_PTR, nullptr},
    {QUERY, "", C_IN, T_NS, nullptr},
    {QUERY, ".", C_IN, T_SOA, nullptr},
    {QUERY, "sandbox", C_CHAOS, T_TXT, nullptr},
    {QUERY, "MixedCase.Test", C_ANY, T_ANY, nullptr},
    {QUERY, "esc\\.aped.test", C_IN, T_A, nullptr},
    {QUERY, "\\065\\066c.test", C_IN, T_MX, nullptr},
    {QUERY, "example.com", C_IN, 65535, nullptr},
    {QUERY, "example.com", 65535, 0, nullptr},
    {QUERY, "example.com", C_IN, 65536, nullptr},  // invalid type
    {QUERY, "example.com", -1, T_A, nullptr},      // invalid class
    {QUERY, "double..dot.test", C_IN, T_A, nullptr},
    {QUERY, "a23456789012345678901234567890123456789012345678901234567890123.test", C_IN, T_A,
     nullptr},  // a 63-byte label
    {QUERY, "a234567890123456789012345678901234567890123456789012345678901234.test", C_IN, T_A,
     nullptr},  // a 64-byte label: invalid
    {NS_NOTIFY_OP, "zone.test", C_IN, T_SOA, nullptr},
    {NS_NOTIFY_OP, "zone.test", C_IN, T_SOA, "host.zone.test"},  // compressed against the question
    {NS_NOTIFY_OP, "zone.test", C_IN, T_SOA, "other.example"},
    {IQUERY, "example.com", C_IN, T_A, nullptr},  // unsupported op
    {NS_UPDATE_OP, "example.com", C_IN, T_A, nullptr},
};

// Our query for the same input as glibc's, with glibc's random ID.
void expect_same_query(const QueryCase& c, bool recurse, bool trust_ad, int buflen,
                       const std::string& label) {
  GlibcState glibc;
  glibc.state.options = recurse ? glibc.state.options | RES_RECURSE
                                : glibc.state.options & ~static_cast<unsigned long>(RES_RECURSE);
  if (trust_ad)
    glibc.state.options |= RES_TRUSTAD;
  else
    glibc.state.options &= ~static_cast<unsigned long>(RES_TRUSTAD);
  std::vector<unsigned char> expected(static_cast<size_t>(buflen > 0 ? buflen : 1), 0xee);
  std::vector<unsigned char> actual(expected.size(), 0xee);
  int expected_length = res_nmkquery(&glibc.state, c.op, c.name, c.cls, c.type,
                                     reinterpret_cast<const unsigned char*>(c.data), c.data ? 1 : 0,
                                     nullptr, expected.data(), buflen);
  uint16_t id = expected_length >= 2 ? static_cast<uint16_t>(expected[0] << 8 | expected[1]) : 0;
  int actual_length =
      make_query(c.op, c.name, c.cls, c.type, reinterpret_cast<const unsigned char*>(c.data), id,
                 recurse, trust_ad, actual.data(), buflen);
  ASSERT_EQ(actual_length, expected_length) << label;
  if (expected_length > 0)
    EXPECT_EQ(hex(actual.data(), actual_length), hex(expected.data(), expected_length)) << label;
}

TEST(MakeQuery, SameBytesAsGlibcResNmkquery) {
  int checked = 0;
  for (const QueryCase& c : kQueryCases) {
    for (int flags = 0; flags < 4; ++flags) {
      bool recurse = flags & 1, trust_ad = flags & 2;
      std::string label = std::string("op=") + std::to_string(c.op) + " name=" + c.name +
                          " class=" + std::to_string(c.cls) + " type=" + std::to_string(c.type) +
                          " data=" + (c.data ? c.data : "-") + " rd=" + std::to_string(recurse) +
                          " ad=" + std::to_string(trust_ad);
      expect_same_query(c, recurse, trust_ad, 512, label);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4 * static_cast<int>(sizeof kQueryCases / sizeof kQueryCases[0]));
}

TEST(MakeQuery, BufferSizesAroundTheExactLengthAsGlibc) {
  for (const QueryCase& c : kQueryCases) {
    // The exact length of the message, found with an ample buffer.
    unsigned char ample[512];
    int exact =
        make_query(c.op, c.name, c.cls, c.type, reinterpret_cast<const unsigned char*>(c.data), 0,
                   true, false, ample, sizeof ample);
    if (exact < 0) continue;
    for (int buflen :
         {0, 1, HFIXEDSZ - 1, HFIXEDSZ, HFIXEDSZ + 1, exact - 2, exact - 1, exact, exact + 1}) {
      if (buflen < 0) continue;
      expect_same_query(c, true, false, buflen,
                        std::string("name=") + c.name + " buflen=" + std::to_string(buflen));
    }
  }
}

TEST(MakeQuery, PlainResMkqueryFollowsTheThreadStateAsOurs) {
  ASSERT_EQ(res_init(), 0);
  unsigned char expected[512], actual[512];
  int expected_length =
      res_mkquery(QUERY, "dual.test", C_IN, T_AAAA, nullptr, 0, nullptr, expected, sizeof expected);
  ASSERT_GT(expected_length, 0);
  uint16_t id = static_cast<uint16_t>(expected[0] << 8 | expected[1]);
  int actual_length =
      make_query(QUERY, "dual.test", C_IN, T_AAAA, nullptr, id, _res.options & RES_RECURSE,
                 _res.options & RES_TRUSTAD, actual, sizeof actual);
  ASSERT_EQ(actual_length, expected_length);
  EXPECT_EQ(hex(actual, actual_length), hex(expected, expected_length));
}

TEST(MakeQuery, RejectsNullBuffer) {
  EXPECT_EQ(make_query(QUERY, "a.test", C_IN, T_A, nullptr, 1, true, false, nullptr, 512), -1);
}

// ---- fill_res_state / conf_from_res_state ---------------------------------

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string nameserver_text(const struct __res_state& state, int i) {
  char text[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  if (state.nsaddr_list[i].sin_family == AF_INET) {
    inet_ntop(AF_INET, &state.nsaddr_list[i].sin_addr, text, sizeof text);
    port = ntohs(state.nsaddr_list[i].sin_port);
  } else if (state._u._ext.nsaddrs[i] != nullptr) {
    inet_ntop(AF_INET6, &state._u._ext.nsaddrs[i]->sin6_addr, text, sizeof text);
    port = ntohs(state._u._ext.nsaddrs[i]->sin6_port);
  }
  return std::string(text) + "#" + std::to_string(port);
}

// The fields of a res_state that res_init fills and programs read.
std::string dump_state(const struct __res_state& state) {
  std::string out =
      "options=" + std::to_string(state.options) + " retrans=" + std::to_string(state.retrans) +
      " retry=" + std::to_string(state.retry) + " ndots=" + std::to_string(state.ndots) +
      " nsort=" + std::to_string(state.nsort) + " ns=";
  for (int i = 0; i < state.nscount; ++i) out += nameserver_text(state, i) + ",";
  out += " dnsrch=";
  for (int i = 0; i <= MAXDNSRCH && state.dnsrch[i] != nullptr; ++i)
    out += std::string("[") + state.dnsrch[i] + "]";
  return out;
}

// glibc reads /etc/resolv.conf with LOCALDOMAIN and RES_OPTIONS; ours gets
// the same text, variables and host name. glibc caches the configuration of
// res_ninit per file identity, variables not included, so the cases with
// variables go through res_init with a preset value, which always reloads.
class FillResState : public ::testing::Test {
 protected:
  void init_both(const char* localdomain, const char* res_options,
                 const struct __res_state* preset) {
    if (localdomain) setenv("LOCALDOMAIN", localdomain, 1);
    if (res_options) setenv("RES_OPTIONS", res_options, 1);
    if (preset != nullptr) {
      // What res_init does before it reads the configuration.
      glibc_ = *preset;
      if (glibc_.retrans == 0) glibc_.retrans = RES_TIMEOUT;
      if (glibc_.retry == 0) glibc_.retry = RES_DFLRETRY;
      if (!(glibc_.options & RES_INIT)) glibc_.options = RES_DEFAULT;
      ours_ = glibc_;
      _res = glibc_;
      ASSERT_EQ(res_init(), 0);
      glibc_ = _res;
      // dnsrch points into the state's own defdname.
      for (int i = 0; i < MAXDNSRCH && _res.dnsrch[i] != nullptr; ++i)
        glibc_.dnsrch[i] = glibc_.defdname + (_res.dnsrch[i] - _res.defdname);
      memset(&_res, 0, sizeof _res);  // glibc_ now owns what _res held
    } else {
      ASSERT_EQ(res_ninit(&glibc_), 0);
    }
    std::string text = read_file("/etc/resolv.conf");
    char hostname[256] = "";
    gethostname(hostname, sizeof hostname - 1);
    parse_resolv_conf(text.data(), text.size(), localdomain, res_options, hostname, &conf_);
    ASSERT_TRUE(fill_res_state(conf_, preset != nullptr, &ours_));
    unsetenv("LOCALDOMAIN");
    unsetenv("RES_OPTIONS");
  }
  void TearDown() override {
    close_res_state(&ours_);
    res_nclose(&glibc_);
  }
  struct __res_state glibc_ = {};
  struct __res_state ours_ = {};
  ResolvConf conf_;
};

// A preset that only makes res_init reload: a retry count of 3, which
// RES_OPTIONS' attempts: then replaces in both.
struct __res_state reload_preset() {
  struct __res_state preset = {};
  preset.retry = 3;
  return preset;
}

TEST_F(FillResState, SameFieldsAsGlibcResNinit) {
  init_both(nullptr, nullptr, nullptr);
  EXPECT_EQ(dump_state(ours_), dump_state(glibc_));
}

TEST_F(FillResState, SameFieldsAsGlibcWithLocaldomainAndResOptions) {
  struct __res_state preset = reload_preset();
  init_both("corp.test lab.test a.test b.test c.test d.test e.test",
            "ndots:3 timeout:7 attempts:4 rotate edns0 single-request-reopen no-tld-query "
            "use-vc trust-ad no-aaaa",
            &preset);
  EXPECT_EQ(dump_state(ours_), dump_state(glibc_));
}

TEST_F(FillResState, SameFieldsAsGlibcWithOtherOptions) {
  struct __res_state preset = reload_preset();
  init_both("x.test", "ndots:20 timeout:99 attempts:9 single-request no-reload", &preset);
  EXPECT_EQ(dump_state(ours_), dump_state(glibc_));
}

TEST_F(FillResState, PresetValuesKeptAsGlibcResInitKeepsThem) {
  struct __res_state preset = {};
  preset.retrans = 3;
  preset.retry = 1;
  // res_init replaces options without RES_INIT by RES_DEFAULT before it
  // looks at them; with RES_INIT they are the base resolv.conf adds to.
  preset.options = RES_INIT | RES_DEFAULT | RES_USEVC | RES_ROTATE;
  init_both(nullptr, "ndots:2 timeout:4", &preset);
  EXPECT_EQ(dump_state(ours_), dump_state(glibc_));
}

TEST_F(FillResState, OptionsWithoutResInitAreReplacedAsInGlibc) {
  struct __res_state preset = {};
  preset.retrans = 2;
  preset.options = RES_USEVC;  // dropped: res_init starts from RES_DEFAULT
  init_both(nullptr, "attempts:1", &preset);
  EXPECT_EQ(dump_state(ours_), dump_state(glibc_));
}

TEST(ResStateRoundTrip, ConfFromFilledStateIsTheConf) {
  const char text[] =
      "nameserver 192.0.2.53\n"
      "nameserver 2001:db8::53\n"
      "nameserver 198.51.100.53\n"
      "nameserver 203.0.113.53\n"  // a fourth: ignored as in glibc
      "search corp.test lab.test\n"
      "options ndots:4 timeout:9 attempts:3 rotate edns0 trust-ad use-vc no-aaaa\n";
  ResolvConf conf;
  parse_resolv_conf(text, sizeof text - 1, nullptr, nullptr, "h.example", &conf);
  struct __res_state state = {};
  ASSERT_TRUE(fill_res_state(conf, false, &state));
  EXPECT_EQ(state.nscount, 3);
  EXPECT_EQ(state.nsaddr_list[1].sin_family, 0);  // IPv6 ones live in _u._ext.nsaddrs
  ASSERT_NE(state._u._ext.nsaddrs[1], nullptr);

  ResolvConf back;
  conf_from_res_state(&state, conf, &back);
  EXPECT_EQ(back.nameserver_count, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(back.nameservers[i].family, conf.nameservers[i].family) << i;
    EXPECT_EQ(memcmp(back.nameservers[i].bytes, conf.nameservers[i].bytes, 16), 0) << i;
    EXPECT_EQ(back.nameservers[i].port, 53) << i;
  }
  ASSERT_EQ(back.search_count, 2);
  EXPECT_STREQ(back.search[0], "corp.test");
  EXPECT_STREQ(back.search[1], "lab.test");
  EXPECT_EQ(back.ndots, 4);
  EXPECT_EQ(back.timeout, 9);
  EXPECT_EQ(back.attempts, 3);
  EXPECT_TRUE(back.rotate);
  EXPECT_TRUE(back.edns0);
  EXPECT_TRUE(back.trust_ad);
  EXPECT_TRUE(back.use_vc);
  EXPECT_TRUE(back.no_aaaa);
  EXPECT_FALSE(back.single_request);
  EXPECT_FALSE(back.no_tld_query);
  EXPECT_FALSE(back.no_recurse);
  close_res_state(&state);
  EXPECT_EQ(state._u._ext.nsaddrs[1], nullptr);
}

TEST(ResStateRoundTrip, ProgramTweaksReachTheConf) {
  const char text[] = "nameserver 192.0.2.53\nsearch corp.test lab.test\n";
  ResolvConf conf;
  parse_resolv_conf(text, sizeof text - 1, nullptr, nullptr, "h.example", &conf);
  struct __res_state state = {};
  ASSERT_TRUE(fill_res_state(conf, false, &state));

  // What programs do to _res: no recursion, a different server and port,
  // fewer retries, their own search list.
  state.options &= ~static_cast<unsigned long>(RES_RECURSE);
  state.options |= RES_USEVC;
  state.nsaddr_list[0].sin_port = htons(5353);
  inet_pton(AF_INET, "127.0.0.2", &state.nsaddr_list[0].sin_addr);
  state.retry = 1;
  state.retrans = 2;
  state.ndots = 0;
  char own_domain[] = "own.test";
  state.dnsrch[0] = own_domain;
  state.dnsrch[1] = nullptr;

  ResolvConf back;
  conf_from_res_state(&state, conf, &back);
  EXPECT_TRUE(back.no_recurse);
  EXPECT_TRUE(back.use_vc);
  ASSERT_EQ(back.nameserver_count, 1);
  EXPECT_EQ(back.nameservers[0].port, 5353);
  char address[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, back.nameservers[0].bytes, address, sizeof address);
  EXPECT_STREQ(address, "127.0.0.2");
  EXPECT_EQ(back.attempts, 1);
  EXPECT_EQ(back.timeout, 2);
  EXPECT_EQ(back.ndots, 0);
  ASSERT_EQ(back.search_count, 1);
  EXPECT_STREQ(back.search[0], "own.test");

  // Without RES_DEFNAMES and RES_DNSRCH a name is only tried as given.
  state.options &= ~static_cast<unsigned long>(RES_DEFNAMES | RES_DNSRCH);
  conf_from_res_state(&state, conf, &back);
  EXPECT_EQ(back.search_count, 0);
  close_res_state(&state);
}

TEST(ResStateRoundTrip, SearchListLongerThanTheStateComesFromTheCurrentConf) {
  // _res.dnsrch holds MAXDNSRCH (6) domains; glibc's resolver context keeps
  // the whole list as long as the state's entries are its prefix.
  const char text[] =
      "nameserver 192.0.2.53\nsearch a.test b.test c.test d.test e.test f.test "
      "g.test h.test\n";
  ResolvConf conf;
  parse_resolv_conf(text, sizeof text - 1, nullptr, nullptr, "h.example", &conf);
  ASSERT_EQ(conf.search_count, 8);
  struct __res_state state = {};
  ASSERT_TRUE(fill_res_state(conf, false, &state));
  int state_count = 0;
  while (state_count <= MAXDNSRCH && state.dnsrch[state_count] != nullptr) ++state_count;
  EXPECT_EQ(state_count, MAXDNSRCH);

  ResolvConf back;
  conf_from_res_state(&state, conf, &back);
  ASSERT_EQ(back.search_count, 8);
  EXPECT_STREQ(back.search[7], "h.test");

  // Once the program changes an entry, only the state's list counts.
  char changed[] = "z.test";
  state.dnsrch[2] = changed;
  conf_from_res_state(&state, conf, &back);
  ASSERT_EQ(back.search_count, MAXDNSRCH);
  EXPECT_STREQ(back.search[2], "z.test");
  close_res_state(&state);
}

TEST(ResStateRoundTrip, PreinitValuesDetectedAsGlibcDoes) {
  struct __res_state state = {};
  EXPECT_FALSE(res_state_has_preinit_values(&state));
  state.retrans = RES_TIMEOUT;
  state.retry = RES_DFLRETRY;
  state.options = RES_DEFAULT | RES_INIT;
  EXPECT_FALSE(res_state_has_preinit_values(&state));
  state.retry = 4;
  EXPECT_TRUE(res_state_has_preinit_values(&state));
  state.retry = 0;
  state.options = RES_DEFAULT | RES_USEVC;
  EXPECT_TRUE(res_state_has_preinit_values(&state));
}

}  // namespace
}  // namespace aresolv
