#include "resolver/stats.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "resolver/base.h"
#include "resolver/config.h"

// Constant-initialized (it holds no pointers and its constructor is
// constexpr): it lives in .data, ready before any code of the library runs.
// `used` and the extern "C" name keep it findable by `aresolv stats`.
// C linkage for an unmangled name in .symtab. Zeros until the first lookup
// writes the header (in .bss: nothing to do for it when the library is
// loaded into a process that never resolves).
extern "C" {
__attribute__((used, aligned(64))) aresolv::LazyGlobal<aresolv::Stats> aresolv_stats;
}

namespace aresolv {
namespace {

std::atomic<bool> g_stats_built{false};
pthread_once_t g_stats_once = PTHREAD_ONCE_INIT;
void build_stats() { aresolv_stats.build(); }

struct ThreadTrace {
  int depth;
  uint32_t server_visits;
  uint32_t cache_hits;
  uint32_t calls_since_timed;
  AnswerSource source;
};
thread_local ThreadTrace t_trace;

void add(std::atomic<uint64_t>& counter, uint64_t value = 1) {
  counter.fetch_add(value, std::memory_order_relaxed);
}

// The block of the CPU this thread runs on (glibc reads it from the rseq
// area, or from the vDSO: no system call). Moving to another CPU in between
// only costs a shared cache line once.
StatsCounters& local_counters() {
  int cpu = sched_getcpu();
  unsigned index = cpu < 0 ? 0u : static_cast<unsigned>(cpu) % kStatsShards;
  return stats_record().counters[index];
}

uint64_t monotonic_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

StatsServer* server_slot(int family, const uint8_t* address, uint16_t port) {
  size_t length = family == AF_INET6 ? 16 : 4;
  for (StatsServer& slot : stats_record().servers) {
    uint32_t state = slot.state.load(std::memory_order_acquire);
    if (state == 0) {
      uint32_t expected = 0;
      if (slot.state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
        slot.family = static_cast<uint32_t>(family);
        memcpy(slot.address, address, length);
        slot.port = port;
        slot.state.store(2, std::memory_order_release);
        return &slot;
      }
      state = slot.state.load(std::memory_order_acquire);
    }
    // A slot being claimed by another thread is passed over: its address is
    // not readable yet, and at worst one visit lands in a second slot.
    if (state == 2 && slot.family == static_cast<uint32_t>(family) && slot.port == port &&
        memcmp(slot.address, address, length) == 0)
      return &slot;
  }
  return nullptr;
}

// An append-only line buffer on the stack (no allocation, no stdio stream).
struct Line {
  char text[512];
  size_t used = 0;
  void append(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    if (used >= sizeof text) return;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(text + used, sizeof text - used, format, args);
    va_end(args);
    if (n > 0) used += static_cast<size_t>(n);
    if (used > sizeof text - 1) used = sizeof text - 1;
  }
};

void write_debug_line(EntryPoint entry, const char* name, long result, bool failed,
                      AnswerSource source, uint64_t elapsed_us) {
  Line line;
  line.append("aresolv[%d]: %s", static_cast<int>(getpid()), entry_point_name(entry));
  // Names come from the program (or the network, for PTR answers): keep the
  // line one line and printable.
  line.append(" name=");
  if (name == nullptr) {
    line.append("(null)");
  } else {
    for (const char* p = name; *p && line.used < 400; ++p) {
      unsigned char c = static_cast<unsigned char>(*p);
      if (c > 0x20 && c < 0x7f)
        line.append("%c", c);
      else
        line.append("\\x%02x", c);
    }
  }
  line.append(" result=%ld%s source=%s time=%llu.%03llums\n", result, failed ? "(failed)" : "",
              answer_source_name(source), static_cast<unsigned long long>(elapsed_us / 1000),
              static_cast<unsigned long long>(elapsed_us % 1000));
  if (line.used >= sizeof line.text - 1) line.text[sizeof line.text - 2] = '\n';
  // write() is a cancellation point; a lookup is not (shim/defer_cancellation.h).
  int cancel_state;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
  const char* p = line.text;
  size_t left = line.used;
  while (left > 0) {
    ssize_t n = write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= static_cast<size_t>(n);
  }
  pthread_setcancelstate(cancel_state, nullptr);
}

}  // namespace

Stats& stats_record() {
  if (__builtin_expect(!g_stats_built.load(std::memory_order_acquire), false)) {
    pthread_once(&g_stats_once, build_stats);
    g_stats_built.store(true, std::memory_order_release);
  }
  return aresolv_stats.value;
}

const char* answer_source_name(AnswerSource source) {
  switch (source) {
    case AnswerSource::kNone:
      return "none";
    case AnswerSource::kNumeric:
      return "numeric";
    case AnswerSource::kHosts:
      return "hosts";
    case AnswerSource::kDns:
      return "dns";
    case AnswerSource::kDnsCache:
      return "cache";
    case AnswerSource::kMyHostname:
      return "myhostname";
  }
  return "?";
}

const char* entry_point_name(EntryPoint entry) {
  switch (entry) {
    case EntryPoint::kGetaddrinfo:
      return "getaddrinfo";
    case EntryPoint::kGethostbyname:
      return "gethostbyname";
    case EntryPoint::kGethostbyaddr:
      return "gethostbyaddr";
    case EntryPoint::kGetnameinfo:
      return "getnameinfo";
    case EntryPoint::kResQuery:
      return "res_query";
    case EntryPoint::kCount:
      break;
  }
  return "?";
}

uint64_t stats_now_us() { return monotonic_ns() / 1000u; }

void record_server_visit(int family, const uint8_t* address, uint16_t port, uint64_t elapsed_us,
                         VisitOutcome outcome) {
  ++t_trace.server_visits;
  StatsServer* slot = server_slot(family, address, port);
  if (slot == nullptr) {
    add(stats_record().servers_untracked);
    return;
  }
  add(slot->visits);
  switch (outcome) {
    case VisitOutcome::kAnswered: {
      add(slot->answered);
      add(slot->latency_total_us, elapsed_us);
      uint64_t seen = slot->latency_max_us.load(std::memory_order_relaxed);
      while (elapsed_us > seen && !slot->latency_max_us.compare_exchange_weak(
                                      seen, elapsed_us, std::memory_order_relaxed)) {
      }
      break;
    }
    case VisitOutcome::kTimedOut:
      add(slot->timeouts);
      break;
    case VisitOutcome::kError:
      add(slot->errors);
      break;
  }
}

void record_cache_request(bool from_cache) {
  if (from_cache) {
    ++t_trace.cache_hits;
    add(local_counters().cache_hits);
  } else {
    add(local_counters().cache_misses);
  }
}

StatsTotals sum_stats(const Stats& stats) {
  StatsTotals totals;
  for (const StatsCounters& block : stats.counters) {
    for (int i = 0; i < kEntryPointCount; ++i) {
      totals.calls[i] += block.calls[i].load(std::memory_order_relaxed);
      totals.failures[i] += block.failures[i].load(std::memory_order_relaxed);
      totals.timed_calls[i] += block.timed_calls[i].load(std::memory_order_relaxed);
      totals.total_time_ns[i] += block.total_time_ns[i].load(std::memory_order_relaxed);
    }
    for (int i = 0; i < 6; ++i)
      totals.by_source[i] += block.by_source[i].load(std::memory_order_relaxed);
    totals.cache_hits += block.cache_hits.load(std::memory_order_relaxed);
    totals.cache_misses += block.cache_misses.load(std::memory_order_relaxed);
  }
  return totals;
}

uint32_t thread_server_visits() { return t_trace.server_visits; }

void note_answer_source(AnswerSource source) { t_trace.source = source; }

LookupProbe::LookupProbe(EntryPoint entry, const char* name) : entry_(entry), name_(name) {
  outer_ = t_trace.depth++ == 0;
  if (!outer_) return;
  t_trace.server_visits = 0;
  t_trace.cache_hits = 0;
  t_trace.source = AnswerSource::kNone;
  debug_ = settings().debug;
  if (++t_trace.calls_since_timed >= kTimedCallInterval || debug_) {
    t_trace.calls_since_timed = 0;
    start_ns_ = monotonic_ns();
  }
}

LookupProbe::~LookupProbe() {
  if (!finished_) finish(0, false);
  --t_trace.depth;
}

void LookupProbe::finish(long result, bool failed) {
  if (finished_) return;
  finished_ = true;
  if (!outer_) return;
  int saved_errno = errno;
  uint64_t elapsed_ns = start_ns_ != 0 ? monotonic_ns() - start_ns_ : 0;
  int index = static_cast<int>(entry_);
  StatsCounters& counters = local_counters();
  add(counters.calls[index]);
  if (start_ns_ != 0) {
    add(counters.timed_calls[index]);
    add(counters.total_time_ns[index], elapsed_ns);
  }
  if (failed) add(counters.failures[index]);
  AnswerSource source = t_trace.source;
  // The hosts file and literals never visit a server; a DNS answer made only
  // of cached responses is reported as the cache's.
  if (source == AnswerSource::kDns && t_trace.server_visits == 0 && t_trace.cache_hits > 0)
    source = AnswerSource::kDnsCache;
  // The hostent and res_* paths note no source: DNS traffic tells.
  if (source == AnswerSource::kNone && t_trace.server_visits > 0) source = AnswerSource::kDns;
  if (source == AnswerSource::kNone && t_trace.cache_hits > 0) source = AnswerSource::kDnsCache;
  if (failed) source = AnswerSource::kNone;
  add(counters.by_source[static_cast<int>(source)]);
  if (debug_) write_debug_line(entry_, name_, result, failed, source, elapsed_ns / 1000);
  errno = saved_errno;
}

}  // namespace aresolv
