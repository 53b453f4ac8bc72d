/* The lookups every benchmark front end measures, in plain C so that the
 * Google Benchmark program (glibc, nscd, LD_PRELOAD=libaresolv.so) and the
 * static musl program run exactly the same calls on the same names. */
#ifndef ARESOLV_BENCH_WORKLOADS_H
#define ARESOLV_BENCH_WORKLOADS_H

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* A client's usual question (curl, most C code): any family, one socket type,
 * and AI_ADDRCONFIG, which glibc also applies when hints are NULL. */
static inline int bench_lookup(const char *name) {
  struct addrinfo hints;
  struct addrinfo *result = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  int rc = getaddrinfo(name, NULL, &hints, &result);
  if (rc == 0) freeaddrinfo(result);
  return rc;
}

/* The fixture names (tests/fixtures/README.md). */
#define BENCH_NAME_NUMERIC "192.0.2.1"
#define BENCH_NAME_HOSTS "filehost.test"
#define BENCH_NAME_LOCALHOST "localhost"
#define BENCH_NAME_CACHED_DNS "dual.test"
/* Found through the search list: intra.corp.test (first search domain). */
#define BENCH_NAME_SEARCH "intra"

/* A name under the wildcard zone that no run, thread or iteration has asked
 * before: the process, the thread, a per-run seed and a counter. */
static inline void bench_fresh_name(char *buffer, size_t size, unsigned thread,
                                    unsigned long counter) {
  static unsigned long seed;
  if (seed == 0) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    seed = ((unsigned long)now.tv_sec << 20) ^ (unsigned long)now.tv_nsec;
  }
  snprintf(buffer, size, "f%lx-%lx-t%u-%lu.wild.test", (unsigned long)getpid(), seed, thread,
           counter);
}

#endif
