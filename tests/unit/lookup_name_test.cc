// The composition of sources as glibc's gaih_inet does it, on fixture files
// (no DNS: the nsswitch fixtures name files, myhostname and skipped modules).
// Each test runs in its own process under CTest; the settings are read once
// per process, so the paths are set before the first lookup.
#include "resolver/lookup_name.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

namespace aresolv {
namespace {

std::string write_temp(const char* text) {
  char path[] = "/tmp/aresolv-lookup-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, text, strlen(text)), static_cast<ssize_t>(strlen(text)));
  close(fd);
  return path;
}

class LookupNameTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hosts_ = write_temp(
        "127.0.0.1 localhost\n"
        "::1 localhost ip6-localhost\n"
        "192.0.2.1 v4only.test v4alias\n"
        "2001:db8::1 v6only.test\n"
        "192.0.2.2 both.test\n"
        "2001:db8::2 both.test\n");
    nsswitch_ = write_temp("hosts: mdns4_minimal [NOTFOUND=return] files [NOTFOUND=return] dns\n");
    host_conf_ = write_temp("multi on\n");
    setenv("ARESOLV_HOSTS", hosts_.c_str(), 1);
    setenv("ARESOLV_NSSWITCH_CONF", nsswitch_.c_str(), 1);
    setenv("ARESOLV_HOST_CONF", host_conf_.c_str(), 1);
  }
  static void TearDownTestSuite() {
    unlink(hosts_.c_str());
    unlink(nsswitch_.c_str());
    unlink(host_conf_.c_str());
  }

  static std::string text(const Address& a) {
    char buffer[INET6_ADDRSTRLEN];
    inet_ntop(a.family, a.bytes, buffer, sizeof buffer);
    return buffer;
  }

  static std::string hosts_, nsswitch_, host_conf_;
};

std::string LookupNameTest::hosts_;
std::string LookupNameTest::nsswitch_;
std::string LookupNameTest::host_conf_;

TEST_F(LookupNameTest, NoNodeGivesLoopbackOrWildcard) {
  NameLookup lookup;
  ASSERT_EQ(lookup_name(nullptr, AF_UNSPEC, 0, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 2);
  EXPECT_EQ(text(lookup.result.addresses[0]), "::1");
  EXPECT_EQ(text(lookup.result.addresses[1]), "127.0.0.1");
  ASSERT_EQ(lookup_name(nullptr, AF_INET, AI_PASSIVE, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 1);
  EXPECT_EQ(text(lookup.result.addresses[0]), "0.0.0.0");
}

TEST_F(LookupNameTest, NumericLiteralsOfTheWrongFamily) {
  NameLookup lookup;
  EXPECT_EQ(lookup_name("127.1", AF_INET6, 0, &lookup), EAI_ADDRFAMILY);
  ASSERT_EQ(lookup_name("127.1", AF_INET6, AI_V4MAPPED, &lookup), 0);
  EXPECT_EQ(text(lookup.result.addresses[0]), "::ffff:127.0.0.1");
  EXPECT_EQ(lookup_name("2001:db8::1", AF_INET, 0, &lookup), EAI_ADDRFAMILY);
  ASSERT_EQ(lookup_name("::ffff:192.0.2.9", AF_INET, 0, &lookup), 0);
  EXPECT_EQ(text(lookup.result.addresses[0]), "192.0.2.9");
  EXPECT_EQ(lookup_name("fe80::1%nosuchif0", AF_UNSPEC, 0, &lookup), EAI_NONAME);
  EXPECT_EQ(lookup_name("v4only.test", AF_UNSPEC, AI_NUMERICHOST, &lookup), EAI_NONAME);
}

TEST_F(LookupNameTest, CanonicalNameOnlyWhenAsked) {
  NameLookup lookup;
  ASSERT_EQ(lookup_name("V4ALIAS", AF_UNSPEC, AI_CANONNAME, &lookup), 0);
  EXPECT_STREQ(lookup.result.canonical_name, "v4only.test");
  ASSERT_EQ(lookup_name("V4ALIAS", AF_UNSPEC, 0, &lookup), 0);
  EXPECT_STREQ(lookup.result.canonical_name, "");
  ASSERT_EQ(lookup_name("127.1", AF_UNSPEC, AI_CANONNAME, &lookup), 0);
  EXPECT_STREQ(lookup.result.canonical_name, "127.1");  // the literal as given
}

TEST_F(LookupNameTest, FilesAnswerPerFamily) {
  NameLookup lookup;
  ASSERT_EQ(lookup_name("both.test", AF_UNSPEC, 0, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 2);
  EXPECT_EQ(text(lookup.result.addresses[0]), "192.0.2.2");  // file order before sorting
  // AF_INET: the ::1 line of localhost is answered as 127.0.0.1 too.
  ASSERT_EQ(lookup_name("localhost", AF_INET, 0, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 2);
  EXPECT_EQ(text(lookup.result.addresses[1]), "127.0.0.1");
}

TEST_F(LookupNameTest, V4MappedOnlyStandsInForMissingIPv6) {
  NameLookup lookup;
  ASSERT_EQ(lookup_name("v4only.test", AF_INET6, AI_V4MAPPED, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 1);
  EXPECT_EQ(text(lookup.result.addresses[0]), "::ffff:192.0.2.1");
  EXPECT_FALSE(lookup.got_ipv6);
  ASSERT_EQ(lookup_name("both.test", AF_INET6, AI_V4MAPPED, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 1);
  EXPECT_TRUE(lookup.got_ipv6);
  ASSERT_EQ(lookup_name("both.test", AF_INET6, AI_V4MAPPED | AI_ALL, &lookup), 0);
  ASSERT_EQ(lookup.result.count, 2);
  EXPECT_EQ(text(lookup.result.addresses[0]), "2001:db8::2");
  EXPECT_EQ(text(lookup.result.addresses[1]), "::ffff:192.0.2.2");
}

TEST_F(LookupNameTest, NotFoundInFilesReturnsBeforeDns) {
  // [NOTFOUND=return] after files: DNS is never asked, the answer is EAI_NONAME;
  // the skipped mdns module changes nothing.
  NameLookup lookup;
  EXPECT_EQ(lookup_name("absent.test", AF_UNSPEC, 0, &lookup), EAI_NONAME);
  EXPECT_EQ(lookup_name("absent.test", AF_INET, 0, &lookup), EAI_NONAME);
  EXPECT_EQ(lookup_name("absent.test", AF_INET6, AI_CANONNAME, &lookup), EAI_NONAME);
  // nss_files never says NO_DATA: a name of the other family is "not found".
  EXPECT_EQ(lookup_name("v6only.test", AF_INET, 0, &lookup), EAI_NONAME);
  EXPECT_EQ(lookup_name("v4only.test", AF_INET6, 0, &lookup), EAI_NONAME);
}

}  // namespace
}  // namespace aresolv
