// Small RAII helpers used everywhere in the core.
//
// The library is built without exceptions and without linking libstdc++ (see
// CMakeLists.txt), so nothing here may call into the C++ runtime: no std
// containers or strings that allocate, no operator new, no iostreams. Memory
// comes from malloc and every allocation failure is reported, never thrown.
#pragma once

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <new>
#include <type_traits>
#include <utility>

namespace aresolv {

// A file descriptor closed when it goes out of scope. Close is retried never:
// on Linux the descriptor is released even when close reports EINTR.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      int saved = errno;  // callers report the errno of the failure, not of cleanup
      ::close(fd_);
      errno = saved;
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Owns a malloc'ed block of T (trivially copyable types only).
template <typename T>
class MallocPtr {
 public:
  MallocPtr() = default;
  explicit MallocPtr(T* p) : p_(p) {}
  MallocPtr(const MallocPtr&) = delete;
  MallocPtr& operator=(const MallocPtr&) = delete;
  MallocPtr(MallocPtr&& other) noexcept : p_(other.release()) {}
  MallocPtr& operator=(MallocPtr&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~MallocPtr() { reset(); }

  static MallocPtr allocate(size_t count) {
    return MallocPtr(static_cast<T*>(::calloc(count ? count : 1, sizeof(T))));
  }

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator[](size_t i) const { return p_[i]; }
  explicit operator bool() const { return p_ != nullptr; }
  T* release() { return std::exchange(p_, nullptr); }
  void reset(T* p = nullptr) {
    ::free(p_);
    p_ = p;
  }

 private:
  T* p_ = nullptr;
};

// One object of T on the heap, for records too large for a 64 KiB thread
// stack. Default-initialised (arrays without initialisers are not zeroed:
// clearing them would cost more than the lookup). Check before use: nullptr
// when memory ran out.
template <typename T>
class HeapRecord {
 public:
  HeapRecord() : p_(static_cast<T*>(::malloc(sizeof(T)))) {
    if (p_ != nullptr) new (p_) T;
  }
  ~HeapRecord() {
    if (p_ != nullptr) {
      p_->~T();
      ::free(p_);
    }
  }
  HeapRecord(const HeapRecord&) = delete;
  HeapRecord& operator=(const HeapRecord&) = delete;

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_;
};

// A pthread mutex (std::mutex would pull std::system_error into the library).
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
  // For the child after fork(): another thread of the parent may have held it.
  void reset_after_fork() { m_ = PTHREAD_MUTEX_INITIALIZER; }

 private:
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
};

// A process-wide object built on first use. Until then it is only zeros, in
// .bss: a process that loads the library and never resolves writes no page
// and relocates no pointer for it (default member initializers would put
// the whole object, and its pointers, into .data). Build it once, under a
// pthread_once, before any other use.
template <typename T>
union LazyGlobal {
  static_assert(std::is_trivially_destructible<T>::value, "no destructor may run at exit");
  char none;
  T value;
  constexpr LazyGlobal() : none() {}
  T& build() { return *new (&value) T(); }
};

class LockGuard {
 public:
  explicit LockGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~LockGuard() { m_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

// Bounded string copy that always terminates; returns false when truncated.
inline bool copy_string(char* dst, size_t dst_size, const char* src, size_t src_len) {
  if (dst_size == 0) return false;
  size_t n = src_len < dst_size - 1 ? src_len : dst_size - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
  return n == src_len;
}

inline bool copy_string(char* dst, size_t dst_size, const char* src) {
  return copy_string(dst, dst_size, src, strlen(src));
}

}  // namespace aresolv
