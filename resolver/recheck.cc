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

struct RepeatWindowState {
  bool open;
  long until_ms;
};
thread_local RepeatWindowState t_repeat_window;

constexpr time_t kSettledSeconds = 2;

bool settled(const FileIdentity& id) {
  if (!id.exists || id.size < 0) return false;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  time_t newest = id.mtime.tv_sec > id.ctime.tv_sec ? id.mtime.tv_sec : id.ctime.tv_sec;
  return now.tv_sec - newest > kSettledSeconds;
}

}  // namespace

void limit_answer_repeat(long until_ms) {
  RepeatWindowState& window = t_repeat_window;
  if (window.open && until_ms < window.until_ms) window.until_ms = until_ms;
}

AnswerRepeatWindow::AnswerRepeatWindow()
    : opened_ms_(coarse_monotonic_ms()), outer_(!t_repeat_window.open) {
  // A nested window (a lookup inside a lookup) narrows the outer one.
  if (outer_) t_repeat_window = {true, opened_ms_ + kRecheckIntervalMs};
}

AnswerRepeatWindow::~AnswerRepeatWindow() {
  if (outer_) t_repeat_window.open = false;
}

long AnswerRepeatWindow::until_ms() const { return t_repeat_window.until_ms; }

void IdentityMemo::record(const FileIdentity& loaded, const FileIdentity& current, long now_ms) {
  valid_ = recheck_memos_enabled() && loaded == current && settled(current);
  checked_ms_ = now_ms;
  // Not remembered: the next call looks at the file again, so must a repeat.
  limit_answer_repeat(valid_ ? now_ms + kRecheckIntervalMs : now_ms);
}

}  // namespace aresolv
