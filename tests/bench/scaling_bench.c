/* How much a second thread adds to getaddrinfo's throughput on a cached
 * name, measured in pairs: a window of one thread resolving, then one of two
 * threads (the order alternating from pair to pair), then the same pair for
 * a loop of pure CPU work as the control. A shared or virtual machine changes
 * speed from one moment to the next; the ratio of two windows a few
 * milliseconds apart sees the same machine, and the median over many pairs
 * leaves out the pairs a neighbour disturbed. Built against glibc (run
 * plainly, with nscd, or with LD_PRELOAD=libaresolv.so) and static against
 * musl, like resolve_bench.
 *   scaling_bench [--pairs N] [--window-ms MS] [--name NAME]
 * Prints one line per pair: PAIR LOOKUPS_1 LOOKUPS_2 SPIN_1 SPIN_2, calls
 * (or spin steps) per second of all threads together. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "workloads.h"

enum { kMaxThreads = 2 };

struct worker {
  pthread_t thread;
  int spin;
  unsigned long calls;
  /* Each worker on its own cache lines: the counters are not shared. */
  char padding[64];
} __attribute__((aligned(64)));

static const char *name = BENCH_NAME_CACHED_DNS;
static atomic_int started, stopping;
static atomic_int failed;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *work(void *argument) {
  struct worker *worker = argument;
  unsigned long calls = 0, value = 1;
  while (!atomic_load(&started)) {
  }
  while (!atomic_load_explicit(&stopping, memory_order_relaxed)) {
    if (worker->spin) {
      for (int i = 0; i < 200; i++) value = value * 6364136223846793005UL + 1442695040888963407UL;
    } else if (bench_lookup(name) != 0) {
      atomic_store(&failed, 1);
      break;
    }
    calls++;
  }
  worker->calls = calls + (value == 42);
  return NULL;
}

/* Calls per second of `threads` threads over one window. */
static double window(int threads, int spin, long window_ms) {
  struct worker workers[kMaxThreads];
  atomic_store(&started, 0);
  atomic_store(&stopping, 0);
  for (int i = 0; i < threads; i++) {
    workers[i].spin = spin;
    workers[i].calls = 0;
    if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
      atomic_store(&failed, 1);
      threads = i;
      break;
    }
  }
  double start = now_s();
  atomic_store(&started, 1);
  struct timespec pause = {window_ms / 1000, (window_ms % 1000) * 1000000L};
  nanosleep(&pause, NULL);
  atomic_store(&stopping, 1);
  double elapsed = now_s() - start;
  unsigned long calls = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(workers[i].thread, NULL);
    calls += workers[i].calls;
  }
  return (double)calls / elapsed;
}

/* One-thread and two-thread rates of one kind of work, in alternating order. */
static void pair(int spin, int reversed, long window_ms, double *one, double *two) {
  if (reversed) {
    *two = window(2, spin, window_ms);
    *one = window(1, spin, window_ms);
  } else {
    *one = window(1, spin, window_ms);
    *two = window(2, spin, window_ms);
  }
}

int main(int argc, char **argv) {
  int pairs = 40;
  long window_ms = 100;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
      pairs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--window-ms") && i + 1 < argc)
      window_ms = atol(argv[++i]);
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--pairs N] [--window-ms MS] [--name NAME]\n", argv[0]);
      return 2;
    }
  }
  if (pairs < 1 || window_ms < 1) return 2;
  /* The first call fills whatever cache there is, as in resolve_bench. */
  int rc = bench_lookup(name);
  if (rc != 0) {
    fprintf(stderr, "scaling_bench: getaddrinfo(%s): %s\n", name, gai_strerror(rc));
    return 1;
  }
  for (int i = 0; i < pairs; i++) {
    double lookups_one, lookups_two, spin_one, spin_two;
    pair(0, i % 2, window_ms, &lookups_one, &lookups_two);
    pair(1, i % 2, window_ms, &spin_one, &spin_two);
    if (atomic_load(&failed)) {
      fprintf(stderr, "scaling_bench: a lookup of %s failed, or no thread could start\n", name);
      return 1;
    }
    printf("%d %.0f %.0f %.0f %.0f\n", i, lookups_one, lookups_two, spin_one, spin_two);
  }
  return 0;
}
