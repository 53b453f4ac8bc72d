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
    return valid_ && now_ms >= checked_ms_ && now_ms - checked_ms_ < kRecheckIntervalMs;
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
