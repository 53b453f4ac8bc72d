// One parsed configuration file shared by all threads: parsed once, parsed
// again only when the file's identity changes (one stat per lookup, or none
// within a second of the last for a file that has been still, recheck.h), and
// handed out by reference count so that a reader keeps its table while
// another thread replaces it. Used for /etc/hosts and /etc/services.
//
// Table must have `int refs` and `FileIdentity identity` members; Parse
// builds a table holding one reference (nullptr when memory ran out) and
// Release drops one.
#pragma once

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "resolver/base.h"
#include "resolver/file_snapshot.h"
#include "resolver/recheck.h"
#include "resolver/records.h"

namespace aresolv {

template <typename Table, Table* (*Parse)(const char*, size_t), void (*Release)(Table*)>
class FileTableCache {
 public:
  // A reference to the table for `path` as the file is now, or nullptr with
  // `*status` set (kUnavail: unreadable; kNoMemory).
  Table* acquire(const char* path, Status* status) {
    long now_ms = coarse_monotonic_ms();
    {
      LockGuard lock(mutex_);
      Table* t = table_;
      if (t && memo_.fresh(now_ms) && strcmp(path_, path) == 0) {
        __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
        return t;
      }
    }
    FileIdentity now = identify_file(path);
    {
      LockGuard lock(mutex_);
      Table* t = table_;
      if (t && t->identity == now && strcmp(path_, path) == 0) {
        memo_.record(t->identity, now, now_ms);
        __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
        return t;
      }
    }
    // Parse outside the lock: other threads keep answering from the old table.
    FileSnapshot snapshot;
    if (!snapshot.load(path)) {
      *status = errno == ENOMEM ? Status::kNoMemory : Status::kUnavail;
      limit_answer_repeat(now_ms);  // the next call tries again
      return nullptr;
    }
    Table* fresh = Parse(snapshot.data(), snapshot.size());
    if (!fresh) {
      *status = Status::kNoMemory;
      limit_answer_repeat(now_ms);
      return nullptr;
    }
    fresh->identity = snapshot.identity();
    size_t path_length = strlen(path);
    if (path_length >= sizeof path_) {
      limit_answer_repeat(now_ms);
      return fresh;  // used once, not cached
    }
    fresh->refs = 2;
    Table* old;
    {
      LockGuard lock(mutex_);
      old = table_;
      table_ = fresh;
      memcpy(path_, path, path_length + 1);
      memo_.record(fresh->identity, fresh->identity, now_ms);
    }
    Release(old);
    return fresh;
  }

  // The one cache of this kind of table, shared by all threads; its lock is
  // reset in the child after fork() (another thread may have held it).
  static FileTableCache& shared() {
    pthread_once(&atfork_once_, [] {
      pthread_atfork(nullptr, nullptr, [] { instance_.mutex_.reset_after_fork(); });
    });
    return instance_;
  }

 private:
  static FileTableCache instance_;  // constant-initialised: no constructor at load
  static pthread_once_t atfork_once_;

  Mutex mutex_;
  IdentityMemo memo_;       // table_ was found current at this moment
  Table* table_ = nullptr;  // one reference held by the cache
  char path_[PATH_MAX] = {};
};

template <typename Table, Table* (*Parse)(const char*, size_t), void (*Release)(Table*)>
FileTableCache<Table, Parse, Release> FileTableCache<Table, Parse, Release>::instance_;
template <typename Table, Table* (*Parse)(const char*, size_t), void (*Release)(Table*)>
pthread_once_t FileTableCache<Table, Parse, Release>::atfork_once_ = PTHREAD_ONCE_INIT;

// Holds one reference for the duration of a lookup. A file that does not
// exist gives an unusable reference and kUnavail.
template <typename Cache, typename Table, void (*Release)(Table*)>
class FileTableRef {
 public:
  FileTableRef(Cache& cache, const char* path, Status* status)
      : table_(cache.acquire(path, status)) {
    if (table_ && !table_->identity.exists) *status = Status::kUnavail;
  }
  ~FileTableRef() { Release(table_); }
  FileTableRef(const FileTableRef&) = delete;
  FileTableRef& operator=(const FileTableRef&) = delete;
  bool usable() const { return table_ && table_->identity.exists; }
  const Table& operator*() const { return *table_; }

 private:
  Table* table_;
};

}  // namespace aresolv
