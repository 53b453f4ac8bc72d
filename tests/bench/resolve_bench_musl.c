/* The workloads of resolve_bench.cc for a static musl build (musl-gcc cannot
 * build C++ or link Debian's libbenchmark). Each benchmark runs for at least
 * --min-time seconds, --repetitions times; the median repetition is written
 * as JSON in Google Benchmark's layout (aggregate "median"), so that one
 * report reads both.
 *   resolve_bench_musl [--min-time SECONDS] [--repetitions N] [--out FILE]
 *                      [--filter SUBSTRING] */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "workloads.h"

enum workload { NUMERIC, HOSTS, LOCALHOST, CACHED_DNS, SEARCH, FRESH };

struct benchmark {
  const char *name;
  enum workload workload;
  unsigned threads;
};

static const struct benchmark benchmarks[] = {
    {"latency/numeric/real_time", NUMERIC, 1},
    {"latency/hosts/real_time", HOSTS, 1},
    {"latency/localhost/real_time", LOCALHOST, 1},
    {"latency/cached_dns/real_time", CACHED_DNS, 1},
    {"latency/search_list/real_time", SEARCH, 1},
    {"latency/fresh_dns/real_time", FRESH, 1},
    {"throughput/cached_dns/real_time/threads:1", CACHED_DNS, 1},
    {"throughput/cached_dns/real_time/threads:2", CACHED_DNS, 2},
    {"throughput/cached_dns/real_time/threads:16", CACHED_DNS, 16},
};

static double min_time = 0.5;
static atomic_ulong fresh_counter;
static atomic_int failed;

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *fixed_name(enum workload workload) {
  switch (workload) {
    case NUMERIC:
      return BENCH_NAME_NUMERIC;
    case HOSTS:
      return BENCH_NAME_HOSTS;
    case LOCALHOST:
      return BENCH_NAME_LOCALHOST;
    case CACHED_DNS:
      return BENCH_NAME_CACHED_DNS;
    case SEARCH:
      return BENCH_NAME_SEARCH;
    case FRESH:
      return NULL;
  }
  return NULL;
}

static int one_lookup(enum workload workload, unsigned thread) {
  char fresh[128];
  const char *name = fixed_name(workload);
  if (name == NULL) {
    bench_fresh_name(fresh, sizeof fresh, thread, atomic_fetch_add(&fresh_counter, 1));
    name = fresh;
  }
  int rc = bench_lookup(name);
  if (rc != 0 && !atomic_exchange(&failed, 1))
    fprintf(stderr, "getaddrinfo(%s): %s\n", name, gai_strerror(rc));
  return rc;
}

struct worker {
  pthread_t thread;
  enum workload workload;
  unsigned index;
  unsigned long iterations;
  const double *deadline;
  atomic_int *go;
};

/* Threads run until a shared deadline, counting their calls. */
static void *run_worker(void *argument) {
  struct worker *worker = argument;
  one_lookup(worker->workload, worker->index);
  while (!atomic_load(worker->go)) sched_yield();
  while (!atomic_load(&failed)) {
    for (int i = 0; i < 16; i++) one_lookup(worker->workload, worker->index);
    worker->iterations += 16;
    if (now_seconds() >= *worker->deadline) break;
  }
  return NULL;
}

/* Seconds per call and calls per second of one repetition. */
static void run_once(const struct benchmark *bench, double *per_call, double *per_second) {
  struct worker workers[16];
  atomic_int go = 0;
  double deadline = 0;
  for (unsigned i = 0; i < bench->threads; i++) {
    workers[i] =
        (struct worker){.workload = bench->workload, .index = i, .deadline = &deadline, .go = &go};
    pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]);
  }
  /* Let every thread make its first call before the clock starts. */
  struct timespec settle = {0, 50 * 1000 * 1000};
  nanosleep(&settle, NULL);
  double start = now_seconds();
  deadline = start + min_time;
  atomic_store(&go, 1);
  unsigned long total = 0;
  for (unsigned i = 0; i < bench->threads; i++) {
    pthread_join(workers[i].thread, NULL);
    total += workers[i].iterations;
  }
  double elapsed = now_seconds() - start;
  *per_second = (double)total / elapsed;
  /* Google Benchmark's real_time with threads: wall time per iteration of
   * one thread. */
  *per_call = elapsed / ((double)total / bench->threads);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int repetitions = 3;
  const char *out_path = NULL, *filter = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--min-time") && i + 1 < argc)
      min_time = atof(argv[++i]);
    else if (!strcmp(argv[i], "--repetitions") && i + 1 < argc)
      repetitions = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--out") && i + 1 < argc)
      out_path = argv[++i];
    else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
      filter = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--min-time S] [--repetitions N] [--out FILE] [--filter S]\n",
              argv[0]);
      return 2;
    }
  }
  if (repetitions < 1 || repetitions > 64) repetitions = 3;
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (out == NULL) {
    perror(out_path);
    return 1;
  }
  fprintf(out, "{\n  \"context\": {\"library\": \"musl (static)\"},\n  \"benchmarks\": [");
  const char *separator = "";
  for (size_t b = 0; b < sizeof benchmarks / sizeof benchmarks[0]; b++) {
    const struct benchmark *bench = &benchmarks[b];
    if (filter && !strstr(bench->name, filter)) continue;
    double per_call[64], per_second[64];
    for (int r = 0; r < repetitions; r++) run_once(bench, &per_call[r], &per_second[r]);
    if (atomic_load(&failed)) {
      fprintf(out, "%s\n    {\"name\": \"%s\", \"error_occurred\": true}", separator, bench->name);
      separator = ",";
      atomic_store(&failed, 0);
      continue;
    }
    qsort(per_call, (size_t)repetitions, sizeof(double), compare_doubles);
    qsort(per_second, (size_t)repetitions, sizeof(double), compare_doubles);
    double call_us = per_call[repetitions / 2] * 1e6;
    fprintf(out,
            "%s\n    {\"name\": \"%s_median\", \"run_name\": \"%s\", \"run_type\": \"aggregate\", "
            "\"aggregate_name\": \"median\", \"threads\": %u, \"real_time\": %.6f, "
            "\"cpu_time\": %.6f, \"time_unit\": \"us\", \"items_per_second\": %.3f}",
            separator, bench->name, bench->name, bench->threads, call_us, call_us,
            per_second[repetitions / 2]);
    separator = ",";
    fprintf(stderr, "%-45s %12.3f us %14.0f calls/s\n", bench->name, call_us,
            per_second[repetitions / 2]);
  }
  fprintf(out, "\n  ]\n}\n");
  if (out != stdout) fclose(out);
  return 0;
}
