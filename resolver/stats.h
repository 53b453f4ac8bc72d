// Counters of what the library did in this process, for `aresolv stats PID`
// and for the ARESOLV_DEBUG lines.
//
// The counters are one plain global record (`aresolv_stats`) of relaxed
// atomics: no descriptor, thread or signal handler exists for them. Another
// process finds the record through /proc/PID/maps (where libaresolv.so is
// mapped) and the library's symbol table (the symbol is local but stays in
// .symtab; a stripped library is searched for the magic instead), then reads
// it with /proc/PID/mem. The layout is therefore an ABI: add fields only at
// the end and bump kStatsVersion when a field changes meaning.
#pragma once

#include <stdint.h>

#include <atomic>

#include "resolver/records.h"

namespace aresolv {

enum class EntryPoint : uint8_t {
  kGetaddrinfo,
  kGethostbyname,  // gethostbyname, gethostbyname2 and their _r forms
  kGethostbyaddr,  // gethostbyaddr and gethostbyaddr_r
  kGetnameinfo,
  kResQuery,  // res_query, res_search, res_querydomain and their res_n* forms
  kCount,
};
constexpr int kEntryPointCount = static_cast<int>(EntryPoint::kCount);

const char* answer_source_name(AnswerSource source);
const char* entry_point_name(EntryPoint entry);

constexpr char kStatsMagic[16] = {'a', 'r', 'e', 's', 'o', 'l',  'v',    '-',
                                  's', 't', 'a', 't', 's', '\0', '\x5a', '\xa5'};
constexpr uint32_t kStatsVersion = 2;
constexpr int kStatsMaxServers = 8;

struct StatsServer {
  std::atomic<uint32_t> state{0};             // 0 free, 1 being claimed, 2 address valid
  uint32_t family = 0;                        // AF_INET or AF_INET6
  uint8_t address[16] = {};                   // network order
  uint32_t port = 0;                          // host order
  std::atomic<uint64_t> visits{0};            // queries sent (one visit may carry A and AAAA)
  std::atomic<uint64_t> answered{0};          // visits that got a response
  std::atomic<uint64_t> timeouts{0};          // visits without any response
  std::atomic<uint64_t> errors{0};            // send or receive errors (port unreachable, ...)
  std::atomic<uint64_t> latency_total_us{0};  // over answered visits
  std::atomic<uint64_t> latency_max_us{0};
};

// The counters every call touches, one block per CPU (sched_getcpu() modulo
// kStatsShards): threads running on different CPUs then do not pass cache
// lines back and forth on every lookup. A reader sums the blocks.
constexpr int kStatsShards = 16;

struct alignas(64) StatsCounters {
  std::atomic<uint64_t> calls[kEntryPointCount] = {};
  std::atomic<uint64_t> failures[kEntryPointCount] = {};
  // Reading the clock costs as much as a repeated answer: one call in
  // kTimedCallInterval per thread is timed (every call with ARESOLV_DEBUG).
  std::atomic<uint64_t> timed_calls[kEntryPointCount] = {};
  std::atomic<uint64_t> total_time_ns[kEntryPointCount] = {};  // over timed calls
  std::atomic<uint64_t> by_source[6] = {};                     // indexed by AnswerSource
  std::atomic<uint64_t> cache_hits{0};                         // DNS requests answered by the cache
  std::atomic<uint64_t> cache_misses{0};  // DNS requests that went to the servers
};
constexpr uint32_t kTimedCallInterval = 16;

struct Stats {
  char magic[16] = {'a', 'r', 'e', 's', 'o', 'l',  'v',    '-',
                    's', 't', 'a', 't', 's', '\0', '\x5a', '\xa5'};
  uint32_t version = kStatsVersion;
  uint32_t reserved = 0;
  uint32_t entry_points = kEntryPointCount;
  uint32_t max_servers = kStatsMaxServers;
  uint32_t shards = kStatsShards;
  StatsCounters counters[kStatsShards];
  StatsServer servers[kStatsMaxServers];
  std::atomic<uint64_t> servers_untracked{0};  // visits to servers beyond the table
};

// The per-CPU blocks of `stats` added up.
struct StatsTotals {
  uint64_t calls[kEntryPointCount] = {};
  uint64_t failures[kEntryPointCount] = {};
  uint64_t timed_calls[kEntryPointCount] = {};
  uint64_t total_time_ns[kEntryPointCount] = {};
  uint64_t by_source[6] = {};
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
};
StatsTotals sum_stats(const Stats& stats);

// Microseconds on the monotonic clock.
uint64_t stats_now_us();

// One visit of one name server by the transport.
enum class VisitOutcome { kAnswered, kTimedOut, kError };
void record_server_visit(int family, const uint8_t* address, uint16_t port, uint64_t elapsed_us,
                         VisitOutcome outcome);

// The cache's part: one DNS request through dns_cached_send; `from_cache`
// when no server was visited for it.
void record_cache_request(bool from_cache);
// Server visits made by this thread so far (the cache compares before/after).
uint32_t thread_server_visits();

// The answer source of the lookup running on this thread (lookup_name and the
// hostent paths note it; the debug line reports it).
void note_answer_source(AnswerSource source);

// Brackets one call of an entry point: counts it, times it and, with
// ARESOLV_DEBUG=1 (never in a secure-execution process), writes one line to
// standard error. Nested probes (an entry point used by another) are silent.
class LookupProbe {
 public:
  LookupProbe(EntryPoint entry, const char* name);
  LookupProbe(const LookupProbe&) = delete;
  LookupProbe& operator=(const LookupProbe&) = delete;
  ~LookupProbe();
  // Records the outcome; `result` is what the entry point returns (an EAI_*
  // code, an errno value, a length...), `failed` whether it is a failure.
  void finish(long result, bool failed);

 private:
  EntryPoint entry_;
  const char* name_;
  uint64_t start_ns_ = 0;  // 0: this call is not timed
  bool outer_ = false;
  bool debug_ = false;  // ARESOLV_DEBUG: write a line
  bool finished_ = false;
};

}  // namespace aresolv

namespace aresolv {
// The process-wide record, built (its header written) on first use.
Stats& stats_record();
}  // namespace aresolv
