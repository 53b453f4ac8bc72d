// Cheap hot paths: checks that glibc repeats on every call (a stat of
// resolv.conf, nsswitch.conf, /etc/hosts and /etc/services, the netlink
// interface list of AI_ADDRCONFIG, the UDP connect()s of the RFC 6724 sort)
// may be remembered for up to one second, read against CLOCK_MONOTONIC_COARSE
// (from the vDSO, no system call). No descriptor is kept. ARESOLV_CACHE=0
// turns every memo off.
#pragma once

#include "resolver/file_snapshot.h"

namespace aresolv {

constexpr long kRecheckIntervalMs = 1000;

// CLOCK_MONOTONIC_COARSE in milliseconds.
long coarse_monotonic_ms();

// Whether the one-second memos are on in this process.
bool recheck_memos_enabled();

// A getaddrinfo answer may be repeated (answer_memo.h) only for as long as
// every input it was made from may be remembered: each memo, and the DNS
// cache, tells the lookup running on this thread until when its part holds.
// An input read afresh on every call (a file being edited, gai.conf with
// "reload yes", a failed read) limits the answer to `now`: never repeated.
// Outside a window this does nothing.
void limit_answer_repeat(long until_ms);

// Opens the window of the lookup on this thread for its lifetime, at most
// one recheck interval from now.
class AnswerRepeatWindow {
 public:
  AnswerRepeatWindow();
  ~AnswerRepeatWindow();
  AnswerRepeatWindow(const AnswerRepeatWindow&) = delete;
  AnswerRepeatWindow& operator=(const AnswerRepeatWindow&) = delete;
  // Until when (coarse_monotonic_ms) the answer may be repeated.
  long until_ms() const;
  long opened_ms() const { return opened_ms_; }

 private:
  long opened_ms_;
  bool outer_;
};

// Remembers that a file was found unchanged at some moment, so that checks
// in the following second can be skipped. A file changed within the last
// two seconds (by its mtime/ctime) is not remembered at all: it may be in the
// middle of being rewritten, and timestamps that coarse cannot tell two
// writes apart (git's "racily clean" entries). So only files that have been
// still for a while are trusted without a stat, and a file being edited is
// re-read on every call, as glibc does.
class IdentityMemo {
 public:
  // Under the owner's lock. `now_ms` from coarse_monotonic_ms().
  bool fresh(long now_ms) const {
    if (!valid_ || now_ms < checked_ms_ || now_ms - checked_ms_ >= kRecheckIntervalMs) return false;
    limit_answer_repeat(checked_ms_ + kRecheckIntervalMs);
    return true;
  }
  // `loaded` is the identity of what the owner holds, `current` what stat
  // just said.
  void record(const FileIdentity& loaded, const FileIdentity& current, long now_ms);
  void forget() { valid_ = false; }

 private:
  long checked_ms_ = 0;
  bool valid_ = false;
};

}  // namespace aresolv
