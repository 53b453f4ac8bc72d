#include "resolver/hostent_lookup.h"

#include <gtest/gtest.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "resolver/alloc_buffer.h"

namespace aresolv {
namespace {

TEST(AllocBuffer, AlignsAbsoluteAddressesAndFailsStickily) {
  alignas(8) char storage[32];
  AllocBuffer buffer(storage + 1, 31);
  char* s = buffer.copy_string("abc");
  EXPECT_EQ(s, storage + 1);
  char** pointers = buffer.allocate_pointers(1);
  EXPECT_EQ(reinterpret_cast<char*>(pointers), storage + 8);
  EXPECT_EQ(buffer.next(4), storage + 16);
  EXPECT_EQ(buffer.allocate_pointers(3), nullptr);
  EXPECT_TRUE(buffer.failed());
  EXPECT_EQ(buffer.copy_string(""), nullptr);
}

TEST(DigitsDots, NumericIPv4NeedsRoomForNameAndPointers) {
  struct hostent h, *result = nullptr;
  HostNssStatus status;
  int herr = 0;
  std::vector<char> small(16 + 16 + 8 + strlen("1.2.3.4"));  // one byte short
  char* p = small.data();
  EXPECT_EQ(1, hostname_digits_dots("1.2.3.4", &h, &p, nullptr, small.size(), &result, &status,
                                    AF_INET, &herr));
  EXPECT_EQ(status, HostNssStatus::kTryAgain);
  EXPECT_EQ(herr, NETDB_INTERNAL);
  std::vector<char> ample(small.size() + 1);
  p = ample.data();
  EXPECT_EQ(1, hostname_digits_dots("1.2.3.4", &h, &p, nullptr, ample.size(), &result, &status,
                                    AF_INET, &herr));
  EXPECT_EQ(status, HostNssStatus::kSuccess);
  EXPECT_STREQ(h.h_name, "1.2.3.4");
  EXPECT_EQ(h.h_length, 4);
  // An IPv6 literal asked for as AF_INET is not found; a name is left alone.
  ample.resize(256);
  p = ample.data();
  EXPECT_EQ(1, hostname_digits_dots("::1", &h, &p, nullptr, ample.size(), &result, &status, AF_INET,
                                    &herr));
  EXPECT_EQ(status, HostNssStatus::kNotFound);
  EXPECT_EQ(0, hostname_digits_dots("1.2.3.4.", &h, &p, nullptr, ample.size(), &result, &status,
                                    AF_INET, &herr));
  EXPECT_EQ(0, hostname_digits_dots("zz.test", &h, &p, nullptr, ample.size(), &result, &status,
                                    AF_INET, &herr));
}

class FilesSource : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/hostent_test_XXXXXX";
    int fd = mkstemp(name);
    ASSERT_GE(fd, 0);
    path_ = name;
    const char text[] =
        "# comment\n"
        "127.0.0.1 localhost\n"
        "::1 localhost ip6-localhost\n"
        "192.0.2.11 multi.test\n"
        "192.0.2.12 multi.test multi-alias.test\n"
        "2001:db8::1 Other.test multi.test\n";
    ASSERT_EQ(write(fd, text, sizeof text - 1), static_cast<ssize_t>(sizeof text - 1));
    close(fd);
  }
  void TearDown() override { unlink(path_.c_str()); }
  std::string path_;
};

TEST_F(FilesSource, MultiMergesLinesAndMapsLoopback) {
  struct hostent h;
  alignas(8) char buffer[1024];
  int herr = 0;
  ASSERT_EQ(HostNssStatus::kSuccess,
            files_gethostbyname3(path_.c_str(), true, "MULTI.test", AF_INET, &h, buffer,
                                 sizeof buffer, &herr));
  EXPECT_STREQ(h.h_name, "multi.test");
  ASSERT_NE(h.h_addr_list[0], nullptr);
  ASSERT_NE(h.h_addr_list[1], nullptr);
  EXPECT_EQ(h.h_addr_list[2], nullptr);
  EXPECT_STREQ(h.h_aliases[0], "multi-alias.test");
  ASSERT_EQ(HostNssStatus::kSuccess,
            files_gethostbyname3(path_.c_str(), false, "ip6-localhost", AF_INET, &h, buffer,
                                 sizeof buffer, &herr));
  EXPECT_EQ(0, memcmp(h.h_addr_list[0], "\x7f\0\0\x01", 4));
  EXPECT_EQ(HostNssStatus::kNotFound,
            files_gethostbyname3(path_.c_str(), true, "absent.test", AF_INET, &h, buffer,
                                 sizeof buffer, &herr));
  EXPECT_EQ(herr, HOST_NOT_FOUND);
}

TEST_F(FilesSource, SmallBufferAsksForMore) {
  struct hostent h;
  alignas(8) char buffer[40];
  int herr = 0;
  EXPECT_EQ(HostNssStatus::kTryAgain,
            files_gethostbyname3(path_.c_str(), true, "multi.test", AF_INET, &h, buffer,
                                 sizeof buffer, &herr));
  EXPECT_EQ(herr, NETDB_INTERNAL);
  EXPECT_EQ(errno, ERANGE);
}

}  // namespace
}  // namespace aresolv
