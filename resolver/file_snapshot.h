// A whole configuration file read into memory, with the identity it had when
// read, so that caches can tell cheaply (one stat) whether to read it again:
// the approach of Go's net/hosts.go, keyed on what glibc's resolv_conf.c
// compares (device, inode, size, modification time).
#pragma once

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "resolver/base.h"

namespace aresolv {

struct FileIdentity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  struct timespec mtime = {0, 0};
  struct timespec ctime = {0, 0};

  bool operator==(const FileIdentity& o) const;
  bool operator!=(const FileIdentity& o) const { return !(*this == o); }
};

// Identity of the file at `path` now (exists=false when stat fails).
FileIdentity identify_file(const char* path);

class FileSnapshot {
 public:
  // Reads `path` completely. Returns false only on allocation failure or an
  // I/O error other than the file being absent or unreadable; an absent file
  // gives an empty snapshot with identity().exists == false.
  bool load(const char* path);

  const char* data() const { return data_.get() ? data_.get() : ""; }
  size_t size() const { return size_; }
  const FileIdentity& identity() const { return identity_; }

 private:
  MallocPtr<char> data_;
  size_t size_ = 0;
  FileIdentity identity_;
};

}  // namespace aresolv
