#include "resolver/file_snapshot.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

namespace aresolv {
namespace {

class TempFile {
 public:
  explicit TempFile(const char* text) {
    snprintf(path_, sizeof path_, "/tmp/aresolv-test-XXXXXX");
    int fd = mkstemp(path_);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, text, strlen(text)), static_cast<ssize_t>(strlen(text)));
    close(fd);
  }
  ~TempFile() { unlink(path_); }
  const char* path() const { return path_; }

 private:
  char path_[64];
};

TEST(FileSnapshot, ReadsWholeFile) {
  TempFile f("127.0.0.1 localhost\n");
  FileSnapshot s;
  ASSERT_TRUE(s.load(f.path()));
  EXPECT_EQ(s.size(), 20u);
  EXPECT_STREQ(s.data(), "127.0.0.1 localhost\n");
  EXPECT_TRUE(s.identity().exists);
  EXPECT_EQ(s.identity(), identify_file(f.path()));
}

TEST(FileSnapshot, AbsentFileIsEmpty) {
  FileSnapshot s;
  ASSERT_TRUE(s.load("/nonexistent/aresolv/file"));
  EXPECT_EQ(s.size(), 0u);
  EXPECT_STREQ(s.data(), "");
  EXPECT_FALSE(s.identity().exists);
  EXPECT_EQ(s.identity(), identify_file("/nonexistent/aresolv/file"));
}

TEST(FileSnapshot, IdentityChangesWhenReplaced) {
  TempFile f("a\n");
  FileIdentity before = identify_file(f.path());
  TempFile g("bb\n");
  ASSERT_EQ(rename(g.path(), f.path()), 0);
  EXPECT_NE(before, identify_file(f.path()));
}

TEST(FileSnapshot, ReadsProcFilesWithoutSize) {
  FileSnapshot s;
  ASSERT_TRUE(s.load("/proc/self/status"));
  EXPECT_GT(s.size(), 0u);
}

}  // namespace
}  // namespace aresolv
