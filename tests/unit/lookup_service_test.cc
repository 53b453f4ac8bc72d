#include "resolver/lookup_service.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <stdio.h>
#include <unistd.h>

#include <string>

namespace aresolv {
namespace {

class LookupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snprintf(path_, sizeof path_, "/tmp/aresolv-services-XXXXXX");
    int fd = mkstemp(path_);
    ASSERT_GE(fd, 0);
    std::string text =
        "# fixture\n"
        "http\t\t80/tcp\t\twww\n"
        "domain\t\t53/tcp\n"
        "domain\t\t53/udp\n"
        "syslog\t\t514/udp\n"
        "sctponly\t9999/sctp\n"
        "dccponly\t9998/dccp\n";
    ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
  }
  void TearDown() override { unlink(path_); }

  int lookup(const char* service, int socktype, int protocol, int flags, ServiceResult* out) {
    return lookup_service(service, socktype, protocol, flags, path_, out);
  }

  char path_[64];
};

TEST_F(LookupServiceTest, NoServiceGivesEveryDefaultSocketType) {
  ServiceResult r;
  ASSERT_EQ(lookup(nullptr, 0, 0, 0, &r), 0);
  ASSERT_EQ(r.count, 3);
  EXPECT_EQ(r.tuples[0].socktype, SOCK_STREAM);
  EXPECT_EQ(r.tuples[0].protocol, IPPROTO_TCP);
  EXPECT_EQ(r.tuples[1].socktype, SOCK_DGRAM);
  EXPECT_EQ(r.tuples[1].protocol, IPPROTO_UDP);
  EXPECT_EQ(r.tuples[2].socktype, SOCK_RAW);
  EXPECT_EQ(r.tuples[2].protocol, 0);
  EXPECT_EQ(r.tuples[0].port, 0);
}

TEST_F(LookupServiceTest, NumericServiceUsesStrtoulRules) {
  ServiceResult r;
  ASSERT_EQ(lookup("8080", SOCK_STREAM, 0, 0, &r), 0);
  ASSERT_EQ(r.count, 1);
  EXPECT_EQ(ntohs(r.tuples[0].port), 8080);
  ASSERT_EQ(lookup(" 81", SOCK_STREAM, 0, 0, &r), 0);
  EXPECT_EQ(ntohs(r.tuples[0].port), 81);
  ASSERT_EQ(lookup("65617", SOCK_STREAM, 0, 0, &r), 0);  // wraps like glibc's htons(int)
  EXPECT_EQ(ntohs(r.tuples[0].port), 81);
  EXPECT_EQ(lookup("-1", SOCK_STREAM, 0, 0, &r), EAI_SERVICE);  // a "name" not in the file
  EXPECT_EQ(lookup("80x", SOCK_STREAM, 0, AI_NUMERICSERV, &r), EAI_NONAME);
}

TEST_F(LookupServiceTest, NamedServiceWithoutHintsListsEachProtocolThatHasIt) {
  ServiceResult r;
  ASSERT_EQ(lookup("domain", 0, 0, 0, &r), 0);
  ASSERT_EQ(r.count, 2);
  EXPECT_EQ(r.tuples[0].socktype, SOCK_STREAM);
  EXPECT_EQ(r.tuples[1].socktype, SOCK_DGRAM);
  EXPECT_EQ(ntohs(r.tuples[1].port), 53);

  ASSERT_EQ(lookup("www", 0, 0, 0, &r), 0);  // alias
  ASSERT_EQ(r.count, 1);
  EXPECT_EQ(ntohs(r.tuples[0].port), 80);

  ASSERT_EQ(lookup("sctponly", 0, 0, 0, &r), 0);
  ASSERT_EQ(r.count, 2);  // SOCK_STREAM/sctp and SOCK_SEQPACKET/sctp
  EXPECT_EQ(r.tuples[0].protocol, IPPROTO_SCTP);
  EXPECT_EQ(r.tuples[1].socktype, SOCK_SEQPACKET);
}

TEST_F(LookupServiceTest, HintsChooseOneEntry) {
  ServiceResult r;
  EXPECT_EQ(lookup("http", SOCK_DGRAM, 0, 0, &r), EAI_SERVICE);
  ASSERT_EQ(lookup("syslog", 0, IPPROTO_UDP, 0, &r), 0);
  ASSERT_EQ(r.count, 1);
  EXPECT_EQ(r.tuples[0].socktype, SOCK_DGRAM);
  EXPECT_EQ(lookup("http", SOCK_RAW, 0, 0, &r), EAI_SERVICE);
  ASSERT_EQ(lookup(nullptr, SOCK_RAW, 47, 0, &r), 0);
  EXPECT_EQ(r.tuples[0].protocol, 47);
  ASSERT_EQ(lookup(nullptr, 0, 200, 0, &r), 0);  // any protocol: only raw takes it
  EXPECT_EQ(r.tuples[0].socktype, SOCK_RAW);
  EXPECT_EQ(lookup(nullptr, SOCK_STREAM, IPPROTO_UDP, 0, &r), EAI_SOCKTYPE);
  EXPECT_EQ(lookup(nullptr, 99, 0, 0, &r), EAI_SOCKTYPE);
  EXPECT_EQ(lookup("nonexistent", 0, 0, 0, &r), EAI_SERVICE);
}

}  // namespace
}  // namespace aresolv
