#include "shim/passthrough.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "resolver/config.h"

namespace aresolv {
namespace {

char g_not_found;  // its address marks a name libc does not have

constexpr int64_t kNanosPerSecond = 1000000000;

// Whether a file exists, checked at most once a second. The coarse monotonic
// clock is read from the vDSO, so calls between checks make no system call.
class FileSwitch {
 public:
  constexpr explicit FileSwitch(const char* path) : path_(path) {}

  bool on() {
    int state = state_.load(std::memory_order_acquire);
    int64_t now = monotonic_coarse_nanos();
    int64_t due = next_check_.load(std::memory_order_relaxed);
    if (state == kUnknown) {
      // Until a first answer is in, every caller looks for itself: a thread
      // racing the first check must not take the switch as off.
      state = check();
      next_check_.store(now + kNanosPerSecond, std::memory_order_relaxed);
    } else if ((now >= due || now < 0) &&
               next_check_.compare_exchange_strong(due, now + kNanosPerSecond,
                                                   std::memory_order_relaxed)) {
      state = check();
    }
    return state == kOn;
  }

 private:
  enum { kUnknown = 0, kOff, kOn };

  static int64_t monotonic_coarse_nanos() {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0) return -1;  // check every time
    return static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
  }

  int check() {
    struct stat st;
    int state = stat(path_, &st) == 0 ? kOn : kOff;
    state_.store(state, std::memory_order_release);
    return state;
  }

  const char* path_;
  std::atomic<int64_t> next_check_{0};
  std::atomic<int> state_{kUnknown};
};

FileSwitch g_disable_file("/etc/aresolv/disable");
FileSwitch g_nss_fallback_file("/etc/aresolv/nss-fallback");

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

bool kill_switch_on() { return settings().disabled || g_disable_file.on(); }

bool nss_fallback_applies() {
  if (!settings().nss_fallback && !g_nss_fallback_file.on()) return false;
  return hosts_line_names_skipped_source();
}

void* forward_target(LibcFunction& function, Forward when) {
  int saved_errno = errno;
  void* target = nullptr;
  if (kill_switch_on() || (when == Forward::kOnKillSwitchOrNss && nss_fallback_applies()))
    target = function.address();
  errno = saved_errno;
  return target;
}

}  // namespace aresolv
