// gai.conf parsing and the policy tables, as glibc 2.36's gaiconf_init reads
// them. The odd cases (empty values, "+32", "-0", NUL bytes, scopev4 forms)
// were each checked against the system glibc's getaddrinfo order.
#include "resolver/gai_conf.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace aresolv {
namespace {

Address address(const char* text) {
  Address a;
  memset(&a, 0, sizeof a);
  if (inet_pton(AF_INET, text, a.bytes) == 1) {
    a.family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, text, a.bytes), 1) << text;
    a.family = AF_INET6;
  }
  return a;
}

// Parses from a heap copy without a terminator, so that reading past the
// given length shows up under ASan.
struct Parsed {
  GaiPolicy policy;
  bool ok;
  explicit Parsed(const std::string& text) {
    char* copy = static_cast<char*>(malloc(text.size() + 1));
    memcpy(copy, text.data(), text.size());
    ok = parse_gai_conf(copy, text.size(), &policy);
    free(copy);
  }
  ~Parsed() { free_gai_policy(&policy); }
  int label(const char* a) const { return gai_label(policy, address(a)); }
  int precedence(const char* a) const { return gai_precedence(policy, address(a)); }
  int scope(const char* a) const { return gai_scope(policy, address(a)); }
};

TEST(GaiPolicyDefaults, Labels) {
  GaiPolicy p;
  EXPECT_EQ(gai_label(p, address("::1")), 0);
  EXPECT_EQ(gai_label(p, address("2001:db8::1")), 1);
  EXPECT_EQ(gai_label(p, address("2002::1")), 2);
  EXPECT_EQ(gai_label(p, address("::1.2.3.4")), 3);
  EXPECT_EQ(gai_label(p, address("::ffff:1.2.3.4")), 4);
  EXPECT_EQ(gai_label(p, address("1.2.3.4")), 4);  // IPv4 looked up as mapped
  EXPECT_EQ(gai_label(p, address("fec0::1")), 5);
  EXPECT_EQ(gai_label(p, address("feff::1")), 5);  // fec0::/10
  EXPECT_EQ(gai_label(p, address("fc00::1")), 6);
  EXPECT_EQ(gai_label(p, address("fd12::1")), 6);
  EXPECT_EQ(gai_label(p, address("2001::1")), 7);  // Teredo
  EXPECT_EQ(gai_label(p, address("2001:0:ffff::1")), 7);
  EXPECT_EQ(gai_label(p, address("2001:1::1")), 1);
  EXPECT_EQ(gai_label(p, address("fe80::1")), 1);  // no row of its own
}

TEST(GaiPolicyDefaults, Precedences) {
  GaiPolicy p;
  EXPECT_EQ(gai_precedence(p, address("::1")), 50);
  EXPECT_EQ(gai_precedence(p, address("2001:db8::1")), 40);
  EXPECT_EQ(gai_precedence(p, address("fd00::1")), 40);  // RFC 6724 would say 3
  EXPECT_EQ(gai_precedence(p, address("2001::1")), 40);  // RFC 6724 would say 5
  EXPECT_EQ(gai_precedence(p, address("2002::1")), 30);
  EXPECT_EQ(gai_precedence(p, address("::1.2.3.4")), 20);
  EXPECT_EQ(gai_precedence(p, address("::ffff:1.2.3.4")), 10);
  EXPECT_EQ(gai_precedence(p, address("10.0.0.1")), 10);
}

TEST(GaiPolicyDefaults, Scopes) {
  GaiPolicy p;
  EXPECT_EQ(gai_scope(p, address("127.0.0.1")), 2);
  EXPECT_EQ(gai_scope(p, address("127.255.0.1")), 2);
  EXPECT_EQ(gai_scope(p, address("169.254.9.9")), 2);
  EXPECT_EQ(gai_scope(p, address("10.0.0.1")), 14);
  EXPECT_EQ(gai_scope(p, address("192.168.0.1")), 14);
  EXPECT_EQ(gai_scope(p, address("::1")), 2);
  EXPECT_EQ(gai_scope(p, address("fe80::1")), 2);
  EXPECT_EQ(gai_scope(p, address("fec0::1")), 5);
  EXPECT_EQ(gai_scope(p, address("2001:db8::1")), 14);
  EXPECT_EQ(gai_scope(p, address("::ffff:127.0.0.1")), 14);
  EXPECT_EQ(gai_scope(p, address("ff02::1")), 2);
  EXPECT_EQ(gai_scope(p, address("ff05::1")), 5);
  EXPECT_EQ(gai_scope(p, address("ff0e::1")), 14);
  EXPECT_EQ(gai_scope(p, address("ff01::1")), 1);
}

TEST(GaiConfParse, EmptyFileKeepsDefaults) {
  Parsed p("# nothing\n\n   \n");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.policy.labels, kDefaultLabels);
  EXPECT_EQ(p.policy.precedences, kDefaultPrecedences);
  EXPECT_EQ(p.policy.scopes, kDefaultScopes);
  EXPECT_EQ(p.policy.reload, GaiReload::kUnset);
}

TEST(GaiConfParse, PrecedenceLinesReplaceTheWholeDefaultTable) {
  Parsed p("precedence ::ffff:0:0/96 100\n");
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.policy.precedence_count, 2);  // the row and glibc's ::/0 40
  EXPECT_EQ(p.precedence("10.0.0.1"), 100);
  EXPECT_EQ(p.precedence("::1"), 40);  // the ::1 row is gone
  EXPECT_EQ(p.precedence("2002::1"), 40);
  EXPECT_EQ(p.label("::1"), 0);  // labels untouched
  EXPECT_EQ(p.policy.labels, kDefaultLabels);
}

TEST(GaiConfParse, LabelCatchAllIsLabelOne) {
  Parsed p("label 2001:db8::/32 9\n");
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.policy.label_count, 2);
  EXPECT_EQ(p.label("2001:db8::5"), 9);
  EXPECT_EQ(p.label("::1"), 1);
  EXPECT_EQ(p.label("10.0.0.1"), 1);
}

TEST(GaiConfParse, ExplicitZeroPrefixSuppressesTheCatchAll) {
  Parsed p("precedence ::/0 7\nprecedence ::1/128 8\n");
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.policy.precedence_count, 2);
  EXPECT_EQ(p.precedence("2001:db8::1"), 7);
  EXPECT_EQ(p.precedence("::1"), 8);
}

TEST(GaiConfParse, RowsSortLongestFirstKeepingFileOrderAmongEquals) {
  Parsed p(
      "label ::/0 3\n"
      "label 2001:db8::/32 10\n"
      "label 2001:db8::/48 11\n"
      "label 2001:db8::/32 12\n");
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.policy.label_count, 4);
  EXPECT_EQ(p.policy.labels[0].bits, 48u);
  EXPECT_EQ(p.policy.labels[1].value, 10);
  EXPECT_EQ(p.policy.labels[2].value, 12);
  EXPECT_EQ(p.policy.labels[3].bits, 0u);
  EXPECT_EQ(p.label("2001:db8::1"), 11);
  EXPECT_EQ(p.label("2001:db8:1::1"), 10);  // first of the equal /32 rows
  EXPECT_EQ(p.label("2001:db9::1"), 3);
}

TEST(GaiConfParse, PartialBytePrefixes) {
  Parsed p("precedence fc00::/7 60\nprecedence fe80::/10 70\n");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.precedence("fd00::1"), 60);
  EXPECT_EQ(p.precedence("fe00::1"), 40);
  EXPECT_EQ(p.precedence("febf::1"), 70);
  EXPECT_EQ(p.precedence("fec0::1"), 40);
}

// Each row's fate was checked against glibc (a precedence row for
// 2001:db8::/32 with value 0 puts 10.0.0.1 first; a rejected row leaves the
// defaults, which put 2001:db8::1 first).
TEST(GaiConfParse, NumberFormsAsStrtoul) {
  struct {
    const char* line;
    bool accepted;
  } cases[] = {
      {"precedence 2001:db8::/32 0\n", true},
      {"precedence 2001:db8::/32\n", true},  // missing value: strtoul("") is 0
      {"precedence 2001:db8::/+32 0\n", true},
      {"precedence 2001:db8::/32 -0\n", true},
      {"precedence 2001:db8::/32 -1\n", false},
      {"precedence 2001:db8::/129 0\n", false},
      {"precedence 2001:db8::/32 2147483648\n", false},
      {"precedence 2001:db8::/32 0x\n", false},
      {"precedence 2001:db8::/32 99999999999999999999999\n", false},
      {"precedence\t2001:db8::/32  0 trailing words\n", true},
      {"precedence 2001:db8::/32 1#0\n", true},
      {"precedence 2001:db8::/32 0", true},  // no final newline
      {"Precedence 2001:db8::/32 0\n", false},
      {"precedence 2001:db8:: 0\n", false},  // no "/bits": glibc reads garbage; we reject
      {"precedence 2001:zz8::/32 0\n", false},
      {"precedence 2001:db8::/ 0\n", true},  // empty bits: a /0 row
  };
  for (const auto& c : cases) {
    Parsed p(c.line);
    ASSERT_TRUE(p.ok);
    EXPECT_EQ(p.policy.precedences != kDefaultPrecedences, c.accepted) << c.line;
  }
  Parsed empty_bits("precedence 2001:db8::/ 5\n");
  EXPECT_EQ(empty_bits.policy.precedence_count, 1);
  EXPECT_EQ(empty_bits.precedence("10.0.0.1"), 5);
}

TEST(GaiConfParse, NulByteEndsTheLine) {
  std::string text("precedence 2001:db8::/32 0\0garbage\nlabel ::1/128 5\n", 50);
  Parsed p(text);
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.precedence("2001:db8::1"), 0);
  EXPECT_EQ(p.label("::1"), 5);
}

TEST(GaiConfParse, ScopeV4Forms) {
  struct {
    const char* line;
    int scope_of_10_0_0_2;
  } cases[] = {
      {"scopev4 ::ffff:10.0.0.2/128 1\n", 1}, {"scopev4 10.0.0.2/32 1\n", 1},
      {"scopev4 10.0.0.2/31 1\n", 1},         {"scopev4 ::ffff:10.0.0.0/95 1\n", 14},  // rejected
      {"scopev4 10.0.0.2/33 1\n", 14},        {"scopev4 ::10.0.0.2/128 1\n", 14},  // not ::ffff:
      {"scopev4 10.0.0.2 1\n", 14},  // no "/bits" (glibc may even crash)
      {"scopev4 10.0.0.2/ 1\n", 1},  // /0: everything
  };
  for (const auto& c : cases) {
    Parsed p(c.line);
    ASSERT_TRUE(p.ok);
    EXPECT_EQ(p.scope("10.0.0.2"), c.scope_of_10_0_0_2) << c.line;
  }
  Parsed p("scopev4 10.0.0.2/31 1\n");
  EXPECT_EQ(p.scope("10.0.0.1"), 14);
  EXPECT_EQ(p.scope("127.0.0.1"), 14);  // the built-in 127/8 row is gone
  EXPECT_EQ(p.scope("::1"), 2);         // IPv6 never uses the table
}

TEST(GaiConfParse, ScopeRowsSortByNetmask) {
  Parsed p("scopev4 10.0.0.0/8 20\nscopev4 0.0.0.0/0 15\nscopev4 10.0.0.2/32 21\n");
  ASSERT_TRUE(p.ok);
  ASSERT_EQ(p.policy.scope_count, 3);
  EXPECT_EQ(p.scope("10.0.0.2"), 21);
  EXPECT_EQ(p.scope("10.9.9.9"), 20);
  EXPECT_EQ(p.scope("11.0.0.1"), 15);
}

TEST(GaiConfParse, Reload) {
  EXPECT_EQ(Parsed("reload yes\n").policy.reload, GaiReload::kYes);
  EXPECT_EQ(Parsed("reload no\n").policy.reload, GaiReload::kNo);
  EXPECT_EQ(Parsed("reload\n").policy.reload, GaiReload::kNo);
  EXPECT_EQ(Parsed("reload Yes\n").policy.reload, GaiReload::kNo);
  Parsed both("reload yes\nreload no\n");
  EXPECT_EQ(both.policy.reload, GaiReload::kNo);
  EXPECT_TRUE(both.policy.reload_yes_seen);
}

// ---- the cache ---------------------------------------------------------------

class TempConf {
 public:
  TempConf() {
    snprintf(path_, sizeof path_, "/tmp/aresolv-gai-XXXXXX");
    int fd = mkstemp(path_);
    EXPECT_GE(fd, 0);
    close(fd);
  }
  ~TempConf() { unlink(path_); }
  // Replaces the file (new inode) with a distinct modification time.
  void write(const char* text, long mtime_seconds) {
    std::string tmp = std::string(path_) + ".new";
    FILE* f = fopen(tmp.c_str(), "w");
    fputs(text, f);
    fclose(f);
    struct timespec times[2] = {{mtime_seconds, 0}, {mtime_seconds, 0}};
    utimensat(AT_FDCWD, tmp.c_str(), times, 0);
    rename(tmp.c_str(), path_);
  }
  const char* path() const { return path_; }

 private:
  char path_[64];
};

int cached_precedence_of_ipv4(const char* path) {
  CurrentGaiPolicy policy(path);
  return gai_precedence(policy.get(), address("10.0.0.1"));
}

TEST(GaiPolicyCache, ReadOnceWithoutReload) {
  gai_policy_forget();
  TempConf conf;
  conf.write("precedence ::ffff:0:0/96 100\n", 1000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 100);
  conf.write("precedence ::ffff:0:0/96 7\n", 2000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 100);  // glibc never looks again
  gai_policy_forget();
}

TEST(GaiPolicyCache, ReloadYesRereadsOnMtimeChange) {
  gai_policy_forget();
  TempConf conf;
  conf.write("reload yes\nprecedence ::ffff:0:0/96 100\n", 1000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 100);
  conf.write("precedence ::ffff:0:0/96 7\n", 1000);  // same mtime: not noticed
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 100);
  conf.write("precedence ::ffff:0:0/96 7\n", 2000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 7);
  // The flag survives a file without a reload line.
  conf.write("precedence ::ffff:0:0/96 8\n", 3000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 8);
  conf.write("reload no\nprecedence ::ffff:0:0/96 9\n", 4000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 9);
  conf.write("precedence ::ffff:0:0/96 10\n", 5000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 9);
  gai_policy_forget();
}

TEST(GaiPolicyCache, MissingFileMeansDefaults) {
  gai_policy_forget();
  EXPECT_EQ(cached_precedence_of_ipv4("/nonexistent/aresolv/gai.conf"), 10);
  TempConf conf;
  conf.write("precedence ::ffff:0:0/96 100\n", 1000);
  EXPECT_EQ(cached_precedence_of_ipv4(conf.path()), 100);  // another path is read
  gai_policy_forget();
}

}  // namespace
}  // namespace aresolv
