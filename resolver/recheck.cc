#include "resolver/recheck.h"

#include <time.h>

#include "resolver/config.h"

namespace aresolv {

long coarse_monotonic_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool recheck_memos_enabled() { return settings().cache_enabled; }

namespace {

constexpr time_t kSettledSeconds = 2;

bool settled(const FileIdentity& id) {
  if (!id.exists || id.size < 0) return false;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  time_t newest = id.mtime.tv_sec > id.ctime.tv_sec ? id.mtime.tv_sec : id.ctime.tv_sec;
  return now.tv_sec - newest > kSettledSeconds;
}

}  // namespace

void IdentityMemo::record(const FileIdentity& loaded, const FileIdentity& current, long now_ms) {
  valid_ = recheck_memos_enabled() && loaded == current && settled(current);
  checked_ms_ = now_ms;
}

}  // namespace aresolv
