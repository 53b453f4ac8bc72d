// A bump allocator over a caller's buffer with the semantics of glibc's
// alloc_buffer: once one allocation fails, the buffer stays failed and every
// later allocation returns nullptr. gethostby*_r callers learn "grow the
// buffer" (ERANGE) from exactly the point at which glibc's runs out, so the
// alignment rules here follow glibc's (alignment of the absolute address).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace aresolv {

class AllocBuffer {
 public:
  AllocBuffer(char *start, size_t size)
      : current_(reinterpret_cast<uintptr_t>(start)),
        end_(reinterpret_cast<uintptr_t>(start) + size) {}

  bool failed() const { return current_ == 0; }
  char *current() const { return reinterpret_cast<char *>(current_); }
  size_t remaining() const { return failed() ? 0 : end_ - current_; }

  void *allocate(size_t size, size_t align) {
    if (failed()) return nullptr;
    uintptr_t aligned = (current_ + align - 1) & ~(uintptr_t)(align - 1);
    if (aligned < current_ || aligned > end_ || end_ - aligned < size) {
      mark_failed();
      return nullptr;
    }
    current_ = aligned + size;
    return reinterpret_cast<void *>(aligned);
  }

  char **allocate_pointers(size_t count) {
    if (count > SIZE_MAX / sizeof(char *)) {
      mark_failed();
      return nullptr;
    }
    return static_cast<char **>(allocate(count * sizeof(char *), alignof(char *)));
  }

  // glibc's alloc_buffer_next: moves to the aligned position and returns
  // it without allocating anything there (nullptr once failed).
  char *next(size_t align) {
    if (failed()) return nullptr;
    uintptr_t aligned = (current_ + align - 1) & ~(uintptr_t)(align - 1);
    if (aligned < current_ || aligned > end_) {
      mark_failed();
      return nullptr;
    }
    current_ = aligned;
    return reinterpret_cast<char *>(aligned);
  }

  char *copy_bytes(const void *data, size_t size) {
    char *p = static_cast<char *>(allocate(size, 1));
    if (p) memcpy(p, data, size);
    return p;
  }

  char *copy_string(const char *s) { return copy_bytes(s, strlen(s) + 1); }

 private:
  void mark_failed() { current_ = end_ = 0; }

  uintptr_t current_;
  uintptr_t end_;
};

}  // namespace aresolv
