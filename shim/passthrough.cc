#include "shim/passthrough.h"

#include <dlfcn.h>
#include <errno.h>
#include <sys/stat.h>

#include "resolver/config.h"
#include "resolver/recheck.h"

namespace aresolv {
namespace {

char g_not_found;  // its address marks a name libc does not have

constexpr long kSwitchCheckIntervalMs = 1000;

// Whether the switch files exist, both checked at most once a second. The
// coarse monotonic clock is read from the vDSO, so calls between checks make
// no system call, and the one clock read serves both files.
class SwitchFiles {
 public:
  enum : int { kDisable = 1, kNssFallback = 2 };

  // kDisable and kNssFallback bits of the files that exist.
  int present() {
    int state = state_.load(std::memory_order_acquire);
    long now = coarse_monotonic_ms();
    long due = next_check_.load(std::memory_order_relaxed);
    if (!(state & kKnown)) {
      // Until a first answer is in, every caller looks for itself: a thread
      // racing the first check must not take a switch as off.
      state = check();
      next_check_.store(now + kSwitchCheckIntervalMs, std::memory_order_relaxed);
    } else if (now >= due && next_check_.compare_exchange_strong(due, now + kSwitchCheckIntervalMs,
                                                                 std::memory_order_relaxed)) {
      state = check();
    }
    return state & (kDisable | kNssFallback);
  }

 private:
  enum : int { kKnown = 4 };

  int check() {
    int saved_errno = errno;
    struct stat st;
    int state = kKnown;
    // A switch already on by its environment variable needs no file.
    const Settings& s = settings();
    if (!s.disabled && stat("/etc/aresolv/disable", &st) == 0) state |= kDisable;
    if (!s.nss_fallback && stat("/etc/aresolv/nss-fallback", &st) == 0) state |= kNssFallback;
    state_.store(state, std::memory_order_release);
    errno = saved_errno;
    return state;
  }

  std::atomic<long> next_check_{0};
  std::atomic<int> state_{0};
};

SwitchFiles g_switch_files;

bool hosts_line_names_skipped_source() {
  HostsLookupOrder order;
  current_hosts_order(&order);
  for (int i = 0; i < order.count; ++i)
    if (order.sources[i].source == HostsSource::kSkipped) return true;
  return false;
}

}  // namespace

void* LibcFunction::address() {
  void* found = address_.load(std::memory_order_acquire);
  if (found == nullptr) {
    // Two threads may both look it up; they find the same address.
    found = dlsym(RTLD_NEXT, name_);
    if (found == nullptr && alternate_ != nullptr) found = dlsym(RTLD_NEXT, alternate_);
    if (found == nullptr) found = &g_not_found;
    address_.store(found, std::memory_order_release);
  }
  return found == &g_not_found ? nullptr : found;
}

// One look at the switch files serves both questions: the kill switch, then
// (lookup entry points) the NSS fallback.
void* forward_target(LibcFunction& function, Forward when) {
  const Settings& s = settings();
  int present = s.disabled ? 0 : g_switch_files.present();
  bool forward = s.disabled || (present & SwitchFiles::kDisable);
  if (!forward && when == Forward::kOnKillSwitchOrNss &&
      (s.nss_fallback || (present & SwitchFiles::kNssFallback))) {
    int saved_errno = errno;
    forward = hosts_line_names_skipped_source();
    errno = saved_errno;
  }
  if (!forward) return nullptr;
  int saved_errno = errno;  // dlsym may set it
  void* target = function.address();
  errno = saved_errno;
  return target;
}

}  // namespace aresolv
