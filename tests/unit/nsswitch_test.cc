// nsswitch.conf hosts-line parsing compared with glibc 2.36. The expectations
// in kGlibcCases were produced on this machine (Debian 12, glibc 2.36) by
// bind-mounting each text over /etc/nsswitch.conf and printing the action list
// glibc's __nss_database_get(nss_database_hosts) returns ("FAILED" when it
// reports failure), in the format of dump() below: actions in the order
// SUCCESS, NOTFOUND, UNAVAIL, TRYAGAIN.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "resolver/config.h"

namespace aresolv {
namespace {

const char* action_name(NssAction a) {
  switch (a) {
    case NssAction::kContinue:
      return "continue";
    case NssAction::kReturn:
      return "return";
    case NssAction::kMerge:
      return "merge";
  }
  return "?";
}

std::string dump(const HostsLookupOrder& o) {
  if (o.load_failed) return "FAILED";
  std::string s;
  for (int i = 0; i < o.count; ++i) {
    const SourceEntry& e = o.sources[i];
    if (i) s += " ";
    s += std::string(e.name) + "[" + action_name(e.actions[kNssSuccess]) + "," +
         action_name(e.actions[kNssNotFound]) + "," + action_name(e.actions[kNssUnavail]) + "," +
         action_name(e.actions[kNssTryAgain]) + "]";
  }
  return s;
}

// From a heap copy of exactly the text's size: the parser must not need a NUL.
HostsLookupOrder parse(const std::string& text) {
  std::unique_ptr<char[]> copy(new char[text.size() ? text.size() : 1]);
  memcpy(copy.get(), text.data(), text.size());
  HostsLookupOrder order;
  parse_nsswitch_hosts(copy.get(), text.size(), &order);
  return order;
}

struct GlibcCase {
  const char* name;
  std::string text;
  const char* expected;
};

const GlibcCase kGlibcCases[] = {
    {"empty file", std::string("", 0),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"no hosts line", std::string("passwd: files\ngroup: files\n", 27),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"debian default",
     std::string("passwd:         files systemd\ngroup:          files systemd\nhosts:          "
                 "files dns\nnetworks:       files\n",
                 108),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"last line without newline ignored", std::string("hosts: dns", 10),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"last line without newline, earlier hosts line",
     std::string("hosts: dns files\nhosts: dns", 27),
     "dns[return,continue,continue,continue] files[return,continue,continue,continue]"},
    {"later hosts line wins", std::string("hosts: dns\nhosts: files myhostname\n", 35),
     "files[return,continue,continue,continue] myhostname[return,continue,continue,continue]"},
    {"leading whitespace", std::string("   \thosts: dns files\n", 21),
     "dns[return,continue,continue,continue] files[return,continue,continue,continue]"},
    {"no colon", std::string("hosts dns files\n", 16),
     "dns[return,continue,continue,continue] files[return,continue,continue,continue]"},
    {"many colons and spaces", std::string("hosts : :: dns\n", 15),
     "dns[return,continue,continue,continue]"},
    {"key alone", std::string("hosts\n", 6), ""},
    {"key with colon only", std::string("hosts:\n", 7), ""},
    {"key case sensitive", std::string("Hosts: dns\n", 11),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"comment line", std::string("#hosts: dns\n# hosts: dns\n", 25),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"trailing comment is a source", std::string("hosts: dns # files\n", 19),
     "dns[return,continue,continue,continue] #[return,continue,continue,continue] "
     "files[return,continue,continue,continue]"},
    {"mdns", std::string("hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\n", 60),
     "files[return,continue,continue,continue] mdns4_minimal[return,return,continue,continue] "
     "dns[return,continue,continue,continue] myhostname[return,continue,continue,continue]"},
    {"resolve", std::string("hosts: resolve [!UNAVAIL=return] files myhostname dns\n", 54),
     "resolve[return,return,continue,return] files[return,continue,continue,continue] "
     "myhostname[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"negation", std::string("hosts: dns [!UNAVAIL=return] files\n", 35),
     "dns[return,return,continue,return] files[return,continue,continue,continue]"},
    {"case insensitive", std::string("hosts: dns [notfound=RETURN Success=Continue] files\n", 52),
     "dns[continue,return,continue,continue] files[return,continue,continue,continue]"},
    {"spaces in brackets",
     std::string("hosts: dns [ NOTFOUND = return  TRYAGAIN=merge ] files\n", 55),
     "dns[return,return,continue,merge] files[return,continue,continue,continue]"},
    {"bracket glued", std::string("hosts: dns[NOTFOUND=return]files\n", 33),
     "dns[return,return,continue,continue] files[return,continue,continue,continue]"},
    {"two negations", std::string("hosts: dns [!NOTFOUND=return !SUCCESS=continue] files\n", 54),
     "dns[return,continue,continue,continue] files[return,continue,continue,continue]"},
    {"negate then set", std::string("hosts: dns [!SUCCESS=return SUCCESS=continue] files\n", 52),
     "dns[continue,return,return,return] files[return,continue,continue,continue]"},
    {"bracket where name belongs",
     std::string("hosts: files [NOTFOUND=return] [UNAVAIL=return] dns\n", 52),
     "files[return,return,continue,continue]"},
    {"leading bracket", std::string("hosts: [NOTFOUND=return] dns\n", 29), ""},
    {"module name case", std::string("hosts: Files DNS\n", 17),
     "Files[return,continue,continue,continue] DNS[return,continue,continue,continue]"},
    {"crlf", std::string("hosts: files dns\r\n", 18),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"tabs", std::string("hosts:\tfiles\tdns\t\n", 18),
     "files[return,continue,continue,continue] dns[return,continue,continue,continue]"},
    {"nul ends line", std::string("hosts: files\0 dns\n", 18),
     "files[return,continue,continue,continue]"},
    {"unknown database ignored", std::string("sudoers: files [FOO=bar]\nhosts: dns\n", 36),
     "dns[return,continue,continue,continue]"},
    {"RETURN status is not a status", std::string("hosts: dns [RETURN=return] files\n", 33),
     "FAILED"},
    {"parse error in passwd", std::string("passwd: files [FOO=bar]\nhosts: files\n", 37), "FAILED"},
    {"parse error after hosts", std::string("hosts: files\nnetworks: files [NOTFOUND=return\n", 46),
     "FAILED"},
    {"missing bracket", std::string("hosts: dns [NOTFOUND=return\n", 28), "FAILED"},
    {"empty brackets", std::string("hosts: dns [] files\n", 20), "FAILED"},
    {"bad action", std::string("hosts: dns [NOTFOUND=stop] files\n", 33), "FAILED"},
    {"space after bang", std::string("hosts: dns [! NOTFOUND=return] files\n", 37), "FAILED"},
    {"missing equals", std::string("hosts: dns [NOTFOUND return] files\n", 35), "FAILED"},
    {"comment with bracket", std::string("hosts: dns #[x]\n", 16), "FAILED"},
};

TEST(Nsswitch, MatchesGlibc) {
  for (const GlibcCase& c : kGlibcCases) EXPECT_EQ(dump(parse(c.text)), c.expected) << c.name;
}

TEST(Nsswitch, SourceKinds) {
  HostsLookupOrder o = parse("hosts: files dns resolve myhostname mdns4_minimal Files wins\n");
  ASSERT_EQ(o.count, 7);
  EXPECT_EQ(o.sources[0].source, HostsSource::kFiles);
  EXPECT_EQ(o.sources[1].source, HostsSource::kDns);
  EXPECT_EQ(o.sources[2].source, HostsSource::kDns);
  EXPECT_STREQ(o.sources[2].name, "resolve");
  EXPECT_EQ(o.sources[3].source, HostsSource::kMyHostname);
  EXPECT_EQ(o.sources[4].source, HostsSource::kSkipped);
  EXPECT_EQ(o.sources[5].source, HostsSource::kSkipped);  // module names are case-sensitive
  EXPECT_EQ(o.sources[6].source, HostsSource::kSkipped);
}

TEST(Nsswitch, DefaultIsFilesDns) {
  HostsLookupOrder o;
  default_hosts_order(&o);
  EXPECT_EQ(dump(o),
            "files[return,continue,continue,continue] dns[return,continue,continue,continue]");
  EXPECT_EQ(o.sources[0].source, HostsSource::kFiles);
  EXPECT_EQ(o.sources[1].source, HostsSource::kDns);
  EXPECT_FALSE(o.load_failed);
}

TEST(Nsswitch, LongNamesAreTruncatedForDiagnostics) {
  HostsLookupOrder o = parse("hosts: averyveryveryveryverylongmodulename_that_goes_on files\n");
  ASSERT_EQ(o.count, 2);
  EXPECT_EQ(o.sources[0].source, HostsSource::kSkipped);
  EXPECT_EQ(std::string(o.sources[0].name),
            std::string("averyveryveryveryverylongmodulename").substr(0, 31));
  EXPECT_EQ(o.sources[1].source, HostsSource::kFiles);
}

TEST(Nsswitch, TooManySources) {
  std::string line = "hosts:";
  for (int i = 0; i < kMaxHostsSources + 3; ++i) line += " files";
  HostsLookupOrder o = parse(line + "\n");
  EXPECT_EQ(o.count, kMaxHostsSources);
  EXPECT_TRUE(o.truncated);
}

TEST(Nsswitch, TruncatedInputNeverReadsPastLength) {
  const std::string text =
      "passwd: files\nhosts: files [!NOTFOUND=return] dns [TRYAGAIN=merge]\nnetworks: files\n";
  for (size_t n = 0; n <= text.size(); ++n) parse(text.substr(0, n));
}

}  // namespace
}  // namespace aresolv
