// Per-call latency and multi-thread throughput of getaddrinfo, measured with
// Google Benchmark. Deliberately not linked to aresolv: the same binary is run
// against glibc, glibc with nscd, and glibc with LD_PRELOAD=libaresolv.so;
// the context records which object answered getaddrinfo.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <atomic>
#include <string>

#include "workloads.h"

namespace {

void measure_name(benchmark::State& state, const char* name) {
  // The first call fills whatever cache there is: the loop measures the
  // steady state a long-running program sees.
  if (int rc = bench_lookup(name); rc != 0) {
    state.SkipWithError((std::string("getaddrinfo(") + name + "): " + gai_strerror(rc)).c_str());
    return;
  }
  for (auto _ : state) {
    int rc = bench_lookup(name);
    if (rc != 0) {
      state.SkipWithError((std::string("getaddrinfo(") + name + "): " + gai_strerror(rc)).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Numeric(benchmark::State& state) { measure_name(state, BENCH_NAME_NUMERIC); }
void BM_Hosts(benchmark::State& state) { measure_name(state, BENCH_NAME_HOSTS); }
void BM_Localhost(benchmark::State& state) { measure_name(state, BENCH_NAME_LOCALHOST); }
void BM_CachedDns(benchmark::State& state) { measure_name(state, BENCH_NAME_CACHED_DNS); }
void BM_SearchList(benchmark::State& state) { measure_name(state, BENCH_NAME_SEARCH); }

std::atomic<unsigned long> fresh_counter{0};

void BM_FreshDns(benchmark::State& state) {
  char name[128];
  for (auto _ : state) {
    bench_fresh_name(name, sizeof name, static_cast<unsigned>(state.thread_index()),
                     fresh_counter.fetch_add(1, std::memory_order_relaxed));
    int rc = bench_lookup(name);
    if (rc != 0) {
      state.SkipWithError((std::string("getaddrinfo(") + name + "): " + gai_strerror(rc)).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CachedThroughput(benchmark::State& state) { measure_name(state, BENCH_NAME_CACHED_DNS); }

// No lookup at all: CPU work without shared state, so that the table can show
// how much two threads can gain on this machine at the time of the run (other
// load on a shared machine takes the second core away from every benchmark).
void BM_CpuSpin(benchmark::State& state) {
  unsigned long value = 1;
  for (auto _ : state) {
    for (int i = 0; i < 200; i++) value = value * 6364136223846793005UL + 1442695040888963407UL;
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_Numeric)->Name("latency/numeric")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Hosts)->Name("latency/hosts")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Localhost)->Name("latency/localhost")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CachedDns)->Name("latency/cached_dns")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SearchList)->Name("latency/search_list")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FreshDns)->Name("latency/fresh_dns")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CachedThroughput)
    ->Name("throughput/cached_dns")
    ->Threads(1)
    ->Threads(2)
    ->Threads(16)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_CpuSpin)
    ->Name("control/cpu_spin")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  // Which object's getaddrinfo this process calls: libc, or a preloaded one.
  Dl_info info{};
  void* resolved = dlsym(RTLD_DEFAULT, "getaddrinfo");
  if (resolved != nullptr && dladdr(resolved, &info) != 0 && info.dli_fname != nullptr) {
    benchmark::AddCustomContext("getaddrinfo_from", info.dli_fname);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
