// host.conf parsing compared with glibc 2.36. The expectations in kGlibcCases
// were produced on this machine (Debian 12, glibc 2.36) by pointing
// RESOLV_HOST_CONF at each text (and setting RESOLV_MULTI), calling res_init()
// and printing glibc's _res_hconf in the format of dump() below.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "resolver/config.h"

namespace aresolv {
namespace {

std::string dump(const HostConf& c) {
  std::string s =
      "multi=" + std::to_string(c.multi) + ";reorder=" + std::to_string(c.reorder) + ";trim=";
  for (int i = 0; i < c.trim_count; ++i) s += std::string(i ? "," : "") + "[" + c.trim[i] + "]";
  return s;
}

// From a heap copy of exactly the text's size: the parser must not need a NUL.
HostConf parse(const std::string& text, const char* env = nullptr) {
  std::unique_ptr<char[]> copy(new char[text.size() ? text.size() : 1]);
  memcpy(copy.get(), text.data(), text.size());
  HostConf conf;
  parse_host_conf(copy.get(), text.size(), env, &conf);
  return conf;
}

struct GlibcCase {
  const char* name;
  std::string text;
  const char* resolv_multi;
  const char* expected;
};

const GlibcCase kGlibcCases[] = {
    {"empty", std::string("", 0), nullptr, "multi=0;reorder=0;trim="},
    {"debian", std::string("multi on\n", 9), nullptr, "multi=1;reorder=0;trim="},
    {"off", std::string("multi off\n", 10), nullptr, "multi=0;reorder=0;trim="},
    {"case", std::string("MULTI ON\n", 9), nullptr, "multi=1;reorder=0;trim="},
    {"later wins", std::string("multi on\nmulti off\n", 19), nullptr, "multi=0;reorder=0;trim="},
    {"prefix on", std::string("multi online\n", 13), nullptr, "multi=1;reorder=0;trim="},
    {"prefix off", std::string("multi on\nmulti offline\n", 23), nullptr,
     "multi=0;reorder=0;trim="},
    {"bad value ignored", std::string("multi on\nmulti yes\n", 19), nullptr,
     "multi=1;reorder=0;trim="},
    {"no value", std::string("multi\n", 6), nullptr, "multi=0;reorder=0;trim="},
    {"leading space and comment", std::string("   multi on # comment\n", 22), nullptr,
     "multi=1;reorder=0;trim="},
    {"comment line", std::string("# multi on\n", 11), nullptr, "multi=0;reorder=0;trim="},
    {"glued comment", std::string("multi#x on\n", 11), nullptr, "multi=0;reorder=0;trim="},
    {"keyword with comma", std::string("multi,on\n", 9), nullptr, "multi=0;reorder=0;trim="},
    {"order ignored", std::string("order hosts,bind\nmulti on\n", 26), nullptr,
     "multi=1;reorder=0;trim="},
    {"unknown keyword", std::string("nospoof on\nmulti on\n", 20), nullptr,
     "multi=1;reorder=0;trim="},
    {"tabs and CR", std::string("multi\ton\r\n", 10), nullptr, "multi=1;reorder=0;trim="},
    {"reorder", std::string("reorder on\n", 11), nullptr, "multi=0;reorder=1;trim="},
    {"trim", std::string("trim example.com, example.net;example.org : x.example\n", 54), nullptr,
     "multi=0;reorder=0;trim=[example.com],[example.net;example.org],[x.example]"},
    {"trim more than four", std::string("trim a b\ntrim c d e f\n", 22), nullptr,
     "multi=0;reorder=0;trim=[a],[b],[c],[d]"},
    {"trim delimiter at end", std::string("trim a,\nmulti on\n", 17), nullptr,
     "multi=1;reorder=0;trim=[a]"},
    {"trim empty", std::string("trim\n", 5), nullptr, "multi=0;reorder=0;trim=[]"},
    {"env on", std::string("", 0), "on", "multi=1;reorder=0;trim="},
    {"env off overrides", std::string("multi on\n", 9), "off", "multi=0;reorder=0;trim="},
    {"env bad keeps file", std::string("multi on\n", 9), "yes", "multi=1;reorder=0;trim="},
    {"env prefix", std::string("", 0), "ONWARD", "multi=1;reorder=0;trim="},
    {"no newline at end", std::string("multi on", 8), nullptr, "multi=1;reorder=0;trim="},
    {"long line split",
     std::string(
         "#xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxmulti on\n",
         263),
     nullptr, "multi=0;reorder=0;trim="},
    {"long line split 2",
     std::string(
         "#xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxmulti on\n",
         264),
     nullptr, "multi=1;reorder=0;trim="},
    {"nul", std::string("multi\0 off\nmulti on\0\n", 21), nullptr, "multi=1;reorder=0;trim="},
    {"leading spaces before nul", std::string("  \0multi on\n", 12), nullptr,
     "multi=0;reorder=0;trim="},
};

TEST(HostConf, MatchesGlibc) {
  for (const GlibcCase& c : kGlibcCases)
    EXPECT_EQ(dump(parse(c.text, c.resolv_multi)), c.expected) << c.name;
}

TEST(HostConf, DefaultIsSingle) {
  HostConf c;
  EXPECT_FALSE(c.multi);
  EXPECT_FALSE(parse("").multi);
}

TEST(HostConf, TruncatedInputNeverReadsPastLength) {
  const std::string text = "order hosts,bind\nmulti on\ntrim a.example, b.example\nreorder off\n";
  for (size_t n = 0; n <= text.size(); ++n) parse(text.substr(0, n));
  EXPECT_FALSE(parse(text.substr(0, 24)).multi);  // "multi o"
  EXPECT_TRUE(parse(text.substr(0, 25)).multi);   // "multi on"
}

}  // namespace
}  // namespace aresolv
