#include "resolver/file_snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

namespace aresolv {

bool FileIdentity::operator==(const FileIdentity& o) const {
  if (exists != o.exists) return false;
  if (!exists) return true;
  return device == o.device && inode == o.inode && size == o.size &&
         mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec &&
         ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
}

static FileIdentity identity_of(const struct stat& st) {
  FileIdentity id;
  id.exists = true;
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtime = st.st_mtim;
  id.ctime = st.st_ctim;
  return id;
}

FileIdentity identify_file(const char* path) {
  struct stat st;
  if (stat(path, &st) != 0) return FileIdentity();
  return identity_of(st);
}

bool FileSnapshot::load(const char* path) {
  data_.reset();
  size_ = 0;
  identity_ = FileIdentity();

  UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.valid()) return errno != ENOMEM;  // absent or unreadable: treat as empty
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return false;
  identity_ = identity_of(st);

  // Size from fstat is a hint only (files under /proc report 0, and the file
  // may grow while we read): grow the buffer until read() reports the end.
  size_t capacity = st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 4096;
  MallocPtr<char> buffer(static_cast<char*>(malloc(capacity + 1)));
  if (!buffer) return false;
  size_t used = 0;
  for (;;) {
    if (used == capacity) {
      if (capacity > (size_t{64} << 20)) return false;  // not a configuration file
      char* grown = static_cast<char*>(realloc(buffer.get(), capacity * 2 + 1));
      if (!grown) return false;
      buffer.release();
      buffer.reset(grown);
      capacity *= 2;
    }
    ssize_t n = read(fd.get(), buffer.get() + used, capacity - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  buffer[used] = '\0';
  data_ = std::move(buffer);
  size_ = used;
  return true;
}

}  // namespace aresolv
