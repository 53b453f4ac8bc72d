// Process-level abuse of the resolver entry points: threads, fork, descriptor
// hygiene, descriptor exhaustion, small stacks, signals and spawned children.
// Run inside scripts/sandbox.sh, with or without LD_PRELOAD=libaresolv.so:
//   process_probe MODE [ARGS]
// Exit 0 when the mode's guarantee held, 1 when it did not; each mode prints
// what it measured. Expected answers are always the ones the same process
// got single-threaded, before the abuse started.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

// ---------------------------------------------------------------- output

typedef struct {
  char* p;
  size_t size, len;
} Text;

static void put(Text* t, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (t->len < t->size) {
    int n = vsnprintf(t->p + t->len, t->size - t->len, fmt, ap);
    if (n > 0) t->len += (size_t)n;
  }
  va_end(ap);
  if (t->len >= t->size) t->len = t->size - 1;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// ---------------------------------------------------------------- cases

enum Kind {
  kGai,         // getaddrinfo AF_UNSPEC SOCK_STREAM AI_CANONNAME
  kGaiWild,     // getaddrinfo of a fresh <n>.wild.test: defeats any cache
  kGhbnR,       // gethostbyname_r
  kGhbn2R6,     // gethostbyname2_r AF_INET6
  kGhbaR,       // gethostbyaddr_r
  kGni,         // getnameinfo NI_NAMEREQD
  kResSearch,   // res_search C_IN T_A
  kResQuery,    // res_query C_IN T_A
  kGhbn,        // gethostbyname (static result)
  kGhbn2,       // gethostbyname2 AF_INET6 (static result)
  kGhba,        // gethostbyaddr (static result)
  kResNsearch,  // res_ninit + res_nsearch + res_nclose
  kResSend,     // res_mkquery + res_send
  kResQuerydomain,
  kGaiA,       // getaddrinfo_a GAI_WAIT, one request
  kGniNofqdn,  // getnameinfo NI_NAMEREQD|NI_NOFQDN (the local domain is looked up once)
};

static const char* const kKindNames[] = {
    "getaddrinfo",     "getaddrinfo(wild)", "gethostbyname_r", "gethostbyname2_r",
    "gethostbyaddr_r", "getnameinfo",       "res_search",      "res_query",
    "gethostbyname",   "gethostbyname2",    "gethostbyaddr",   "res_nsearch",
    "res_send",        "res_querydomain",   "getaddrinfo_a",   "getnameinfo(NOFQDN)",
};

typedef struct {
  enum Kind kind;
  const char* name;
} Case;

// Names from tests/fixtures/README.md: /etc/hosts, DNS (UDP, TCP after
// truncation, CNAME chains, search list) and NXDOMAIN.
static const Case kCases[] = {
    {kGai, "localhost"},        {kGai, "filehost.test"},
    {kGai, "filemulti.test"},   {kGai, "FileAlias.test"},
    {kGai, "dual.test"},        {kGai, "multidual.test"},
    {kGai, "cname2.test"},      {kGai, "intra"},
    {kGai, "labhost"},          {kGai, "big4.test"},
    {kGai, "bigdual.test"},     {kGai, "nx.test"},
    {kGai, "nosuchname"},       {kGai, "txtonly.test"},
    {kGaiWild, "wild"},         {kGhbnR, "filehost.test"},
    {kGhbnR, "multi4.test"},    {kGhbnR, "cname-many.test"},
    {kGhbnR, "nx.test"},        {kGhbnR, "big4.test"},
    {kGhbn2R6, "multi6.test"},  {kGhbn2R6, "filemulti.test"},
    {kGhbaR, "198.51.100.1"},   {kGhbaR, "192.0.2.10"},
    {kGhbaR, "192.0.2.250"},    {kGni, "198.51.100.2"},
    {kGni, "192.0.2.11"},       {kGni, "2001:db8:1::2"},
    {kGni, "192.0.2.250"},      {kGni, "198.51.100.99"},
    {kResSearch, "dual.test"},  {kResSearch, "intra"},
    {kResSearch, "nx.test"},    {kResSearch, "big4.test"},
    {kResQuery, "multi4.test"}, {kResQuery, "nosuchname"},
    {kGaiA, "multidual.test"},  {kGaiA, "nx.test"},
};
#define NCASES ((int)(sizeof kCases / sizeof kCases[0]))

// Every entry point once, for the descriptor, stack and exhaustion modes.
static const Case kEntryPoints[] = {
    {kGai, "bigdual.test"},  {kGai, "nosuchname"},      {kGai, "filemulti.test"},
    {kGhbnR, "big4.test"},   {kGhbn2R6, "big6.test"},   {kGhbaR, "198.51.100.1"},
    {kGni, "2001:db8:1::2"}, {kGhbn, "bigdual.test"},   {kGhbn2, "multi6.test"},
    {kGhba, "198.51.100.2"}, {kResSearch, "big4.test"}, {kResQuery, "dual.test"},
    {kResNsearch, "intra"},  {kResSend, "multi4.test"}, {kResQuerydomain, "a4"},
    {kGaiA, "dual.test"},
};
#define NENTRY ((int)(sizeof kEntryPoints / sizeof kEntryPoints[0]))

static atomic_uint g_wild_counter;

static void put_hostent(Text* t, int rc, struct hostent* h, int herr) {
  put(t, "rc=%d herr=%d", rc, h == NULL ? herr : 0);
  if (h == NULL) return;
  put(t, " name=%s type=%d len=%d", h->h_name, h->h_addrtype, h->h_length);
  for (char** a = h->h_aliases; *a != NULL; ++a) put(t, " alias=%s", *a);
  for (char** a = h->h_addr_list; *a != NULL; ++a) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(h->h_addrtype, *a, buf, sizeof buf);
    put(t, " %s", buf);
  }
}

static int parse_address(const char* text, struct sockaddr_storage* ss, socklen_t* len, void** raw,
                         int* family) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in* sin = (struct sockaddr_in*)ss;
  struct sockaddr_in6* sin6 = (struct sockaddr_in6*)ss;
  if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
    sin->sin_family = AF_INET;
    *len = sizeof *sin;
    *raw = &sin->sin_addr;
    *family = AF_INET;
    return 4;
  }
  inet_pton(AF_INET6, text, &sin6->sin6_addr);
  sin6->sin6_family = AF_INET6;
  *len = sizeof *sin6;
  *raw = &sin6->sin6_addr;
  *family = AF_INET6;
  return 16;
}

static void put_dns(Text* t, int n, const unsigned char* answer) {
  put(t, "n=%d herr=%d ", n, n < 0 ? h_errno : 0);
  // The ID is random per query; everything after it must be the same.
  for (int i = 2; i < n && i < 4096; ++i) put(t, "%02x", answer[i]);
}

// Runs one case and writes its answer to `t`. Buffers come from the heap so
// that the stack measured is the entry point's, not ours.
static __attribute__((noinline)) void run_case(const Case* c, Text* t) {
  t->len = 0;
  t->p[0] = '\0';
  h_errno = 0;
  switch (c->kind) {
    case kGai:
    case kGaiWild:
    case kGaiA: {
      char wild[64];
      const char* name = c->name;
      if (c->kind == kGaiWild) {
        snprintf(wild, sizeof wild, "w%u-%d.wild.test", atomic_fetch_add(&g_wild_counter, 1),
                 (int)getpid());
        name = wild;
      }
      struct addrinfo hints, *res = NULL;
      memset(&hints, 0, sizeof hints);
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      hints.ai_flags = AI_CANONNAME;
      errno = 0;
      int rc;
      if (c->kind == kGaiA) {
        struct gaicb cb;
        memset(&cb, 0, sizeof cb);
        cb.ar_name = name;
        cb.ar_request = &hints;
        struct gaicb* list[1] = {&cb};
        rc = getaddrinfo_a(GAI_WAIT, list, 1, NULL);
        if (rc == 0) rc = gai_error(&cb);
        res = cb.ar_result;
      } else {
        rc = getaddrinfo(name, NULL, &hints, &res);
      }
      int saved_errno = errno;
      put(t, "rc=%d", rc);
      if (rc == EAI_SYSTEM) put(t, " errno=%d", saved_errno);
      for (struct addrinfo* ai = res; ai != NULL; ai = ai->ai_next) {
        char buf[INET6_ADDRSTRLEN];
        const void* a = ai->ai_family == AF_INET
                            ? (const void*)&((struct sockaddr_in*)ai->ai_addr)->sin_addr
                            : (const void*)&((struct sockaddr_in6*)ai->ai_addr)->sin6_addr;
        inet_ntop(ai->ai_family, a, buf, sizeof buf);
        put(t, " %d/%d/%d/%s", ai->ai_family, ai->ai_socktype, ai->ai_protocol, buf);
        if (ai->ai_canonname != NULL)
          put(t, " canon=%s",
              c->kind == kGaiWild && strcmp(ai->ai_canonname, name) == 0 ? "<query>"
                                                                         : ai->ai_canonname);
      }
      if (res != NULL) freeaddrinfo(res);
      break;
    }
    case kGhbnR:
    case kGhbn2R6: {
      size_t size = 16384;
      char* buf = malloc(size);
      struct hostent he, *h = NULL;
      int herr = 0;
      int rc = c->kind == kGhbnR ? gethostbyname_r(c->name, &he, buf, size, &h, &herr)
                                 : gethostbyname2_r(c->name, AF_INET6, &he, buf, size, &h, &herr);
      put_hostent(t, rc, h, herr);
      free(buf);
      break;
    }
    case kGhbn:
    case kGhbn2: {
      struct hostent* h =
          c->kind == kGhbn ? gethostbyname(c->name) : gethostbyname2(c->name, AF_INET6);
      put_hostent(t, 0, h, h_errno);
      break;
    }
    case kGhbaR:
    case kGhba: {
      struct sockaddr_storage ss;
      socklen_t len;
      void* raw;
      int family;
      int alen = parse_address(c->name, &ss, &len, &raw, &family);
      if (c->kind == kGhba) {
        struct hostent* h = gethostbyaddr(raw, (socklen_t)alen, family);
        put_hostent(t, 0, h, h_errno);
        break;
      }
      size_t size = 16384;
      char* buf = malloc(size);
      struct hostent he, *h = NULL;
      int herr = 0;
      int rc = gethostbyaddr_r(raw, (socklen_t)alen, family, &he, buf, size, &h, &herr);
      put_hostent(t, rc, h, herr);
      free(buf);
      break;
    }
    case kGni:
    case kGniNofqdn: {
      struct sockaddr_storage ss;
      socklen_t len;
      void* raw;
      int family;
      parse_address(c->name, &ss, &len, &raw, &family);
      char host[NI_MAXHOST];
      errno = 0;
      int flags = NI_NAMEREQD | (c->kind == kGniNofqdn ? NI_NOFQDN : 0);
      int rc = getnameinfo((struct sockaddr*)&ss, len, host, sizeof host, NULL, 0, flags);
      int saved_errno = errno;
      put(t, "rc=%d host=%s", rc, rc == 0 ? host : "");
      if (rc == EAI_SYSTEM) put(t, " errno=%d", saved_errno);
      break;
    }
    case kResSearch:
    case kResQuery:
    case kResQuerydomain:
    case kResNsearch:
    case kResSend: {
      unsigned char* answer = malloc(65536);
      int n = -1;
      if (c->kind == kResSearch) {
        n = res_search(c->name, C_IN, T_A, answer, 65536);
      } else if (c->kind == kResQuery) {
        n = res_query(c->name, C_IN, T_A, answer, 65536);
      } else if (c->kind == kResQuerydomain) {
        n = res_querydomain(c->name, "test", C_IN, T_A, answer, 65536);
      } else if (c->kind == kResNsearch) {
        struct __res_state* st = calloc(1, sizeof *st);
        if (res_ninit(st) == 0) {
          n = res_nsearch(st, c->name, C_IN, T_A, answer, 65536);
          res_nclose(st);
        }
        free(st);
      } else {
        unsigned char query[512];
        int qlen = res_mkquery(QUERY, c->name, C_IN, T_A, NULL, 0, NULL, query, sizeof query);
        if (qlen > 0) n = res_send(query, qlen, answer, 65536);
      }
      put_dns(t, n, answer);
      free(answer);
      break;
    }
  }
}

static Text new_text(void) {
  Text t = {malloc(65536), 65536, 0};
  t.p[0] = '\0';
  return t;
}

static char* g_expected[NCASES];

static void compute_expected(void) {
  Text t = new_text();
  for (int i = 0; i < NCASES; ++i) {
    run_case(&kCases[i], &t);
    g_expected[i] = strdup(t.p);
  }
  free(t.p);
}

// Compares a fresh answer with the expected one; reports the first few.
static atomic_int g_mismatches, g_reported;
static bool check_case(int i, Text* t, const char* where) {
  run_case(&kCases[i], t);
  if (strcmp(t->p, g_expected[i]) == 0) return true;
  atomic_fetch_add(&g_mismatches, 1);
  if (atomic_fetch_add(&g_reported, 1) < 5)
    fprintf(stderr, "%s: %s(%s)\n  expected %.300s\n  got      %.300s\n", where,
            kKindNames[kCases[i].kind], kCases[i].name, g_expected[i], t->p);
  return false;
}

// ---------------------------------------------------------------- helpers

// Waits for `pid` at most `timeout_ms`; a child still running then is
// deadlocked: it is killed and reported as -1.
static int wait_child(pid_t pid, long timeout_ms, int* status) {
  double deadline = now_s() + timeout_ms / 1000.0;
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) return 0;
    if (r < 0 && errno != EINTR) return -2;
    if (now_s() > deadline) {
      // PROCESS_PROBE_DEBUG=1: show where the child hangs before killing it.
      if (getenv("PROCESS_PROBE_DEBUG") != NULL) {
        char command[128];
        snprintf(command, sizeof command,
                 "gdb -p %d -batch -ex 'thread apply all bt' </dev/null 1>&2 2>/dev/null",
                 (int)pid);
        if (system(command) != 0) fprintf(stderr, "gdb failed\n");
      }
      kill(pid, SIGKILL);
      while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
      }
      return -1;
    }
    sleep_ms(1);
  }
}

typedef struct {
  atomic_bool stop;
  atomic_long ops;
  int index;
} Worker;

static void* resolve_loop(void* arg) {
  Worker* w = arg;
  Text t = new_text();
  for (unsigned n = (unsigned)w->index * 7; !atomic_load(&w->stop); ++n) {
    check_case((int)(n % NCASES), &t, "thread");
    atomic_fetch_add(&w->ops, 1);
  }
  free(t.p);
  return NULL;
}

typedef struct {
  int count;
  pthread_t threads[64];
  Worker workers[64];
} Pool;

static void start_pool(Pool* p, int count) {
  p->count = count;
  for (int i = 0; i < count; ++i) {
    atomic_init(&p->workers[i].stop, false);
    atomic_init(&p->workers[i].ops, 0);
    p->workers[i].index = i;
    if (pthread_create(&p->threads[i], NULL, resolve_loop, &p->workers[i]) != 0) {
      perror("pthread_create");
      exit(1);
    }
  }
}

static long stop_pool(Pool* p) {
  long ops = 0;
  for (int i = 0; i < p->count; ++i) atomic_store(&p->workers[i].stop, true);
  for (int i = 0; i < p->count; ++i) {
    pthread_join(p->threads[i], NULL);
    ops += atomic_load(&p->workers[i].ops);
  }
  return ops;
}

// The descriptors open right now, as one string ("0 1 2 5 ").
static void list_fds(char* out, size_t size) {
  size_t len = 0;
  out[0] = '\0';
  DIR* d = opendir("/proc/self/fd");
  if (d == NULL) return;
  int self = dirfd(d);
  int* fds = malloc(4096 * sizeof *fds);  // not on the stack, not in TLS (small-stack threads)
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL && n < 4096) {
    if (e->d_name[0] == '.') continue;
    int fd = atoi(e->d_name);
    if (fd != self) fds[n++] = fd;
  }
  closedir(d);
  for (int i = 1; i < n; ++i)
    for (int j = i; j > 0 && fds[j - 1] > fds[j]; --j) {
      int x = fds[j];
      fds[j] = fds[j - 1];
      fds[j - 1] = x;
    }
  for (int i = 0; i < n && len + 12 < size; ++i)
    len += (size_t)snprintf(out + len, size - len, "%d ", fds[i]);
  free(fds);
}

// ---------------------------------------------------------------- modes

static int mode_answers(void) {
  Text t = new_text();
  for (int i = 0; i < NCASES; ++i) {
    run_case(&kCases[i], &t);
    printf("%s(%s) %s\n", kKindNames[kCases[i].kind], kCases[i].name, t.p);
  }
  for (int i = 0; i < NENTRY; ++i) {
    run_case(&kEntryPoints[i], &t);
    printf("%s(%s) %s\n", kKindNames[kEntryPoints[i].kind], kEntryPoints[i].name, t.p);
  }
  free(t.p);
  return 0;
}

static int mode_threads(int nthreads, double seconds) {
  compute_expected();
  Pool* pool = calloc(1, sizeof *pool);
  double start = now_s();
  start_pool(pool, nthreads);
  while (now_s() - start < seconds) sleep_ms(50);
  long ops = stop_pool(pool);
  double elapsed = now_s() - start;
  int bad = atomic_load(&g_mismatches);
  printf("threads: %d threads, %ld lookups in %.1f s (%.0f/s), %d wrong answers\n", nthreads, ops,
         elapsed, ops / elapsed, bad);
  return bad == 0 && ops > 0 ? 0 : 1;
}

// The child of fork() resolves at once (a hosts name, a DNS name, a wild
// name) while, in the parent, other threads were in the middle of lookups.
static int mode_fork(int iterations) {
  compute_expected();
  Pool* pool = calloc(1, sizeof *pool);
  start_pool(pool, 8);
  int deadlocks = 0, wrong = 0, crashed = 0;
  // hosts, DNS, TCP, wild, _r, getnameinfo, res_search, getaddrinfo_a
  const int child_cases[] = {1, 4, 9, 14, 16, 26, 30, 36};
  const bool under_tsan = dlsym(RTLD_DEFAULT, "__tsan_init") != NULL;
  double start = now_s();
  for (int i = 0; i < iterations; ++i) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid == 0) {
      Text t = new_text();
      int ok = 1;
      for (size_t k = 0; k < sizeof child_cases / sizeof child_cases[0]; ++k) {
        int c = child_cases[(k + (size_t)i) % (sizeof child_cases / sizeof child_cases[0])];
        // TSan cannot start threads in the child of a threaded process.
        if (kCases[c].kind == kGaiA && under_tsan) continue;
        ok &= check_case(c, &t, "child");
      }
      _exit(ok ? 0 : 3);
    }
    int status = 0;
    int r = wait_child(pid, 20000, &status);
    if (r == -1) {
      if (++deadlocks <= 3) fprintf(stderr, "fork: child %d deadlocked (killed after 20 s)\n", i);
    } else if (WIFSIGNALED(status)) {
      if (++crashed <= 3)
        fprintf(stderr, "fork: child %d died of signal %d\n", i, WTERMSIG(status));
    } else if (WEXITSTATUS(status) != 0) {
      ++wrong;
    }
  }
  long ops = stop_pool(pool);
  int bad = atomic_load(&g_mismatches);
  printf(
      "fork: %d forks in %.1f s while 8 threads resolved (%ld lookups): %d deadlocked, %d crashed, "
      "%d children with wrong answers, %d wrong answers in the parent\n",
      iterations, now_s() - start, ops, deadlocks, crashed, wrong, bad);
  return deadlocks == 0 && crashed == 0 && wrong == 0 && bad == 0 ? 0 : 1;
}

// After every call of every entry point the set of open descriptors is the
// one from before: nothing is kept between calls, nothing leaks.
static int mode_fds(int per_entry) {
  char before[8192], after[8192];
  Text t = new_text();
  // Once first, so that anything a library opens for good on first use
  // (none expected) is seen as such and reported.
  for (int i = 0; i < NENTRY; ++i) run_case(&kEntryPoints[i], &t);
  for (int i = 0; i < NCASES; ++i) run_case(&kCases[i], &t);
  list_fds(before, sizeof before);
  int failures = 0;
  long calls = 0;
  double start = now_s();
  for (int e = 0; e < NENTRY; ++e) {
    Case c = kEntryPoints[e];
    const char* names[3] = {c.name, NULL, NULL};
    // The same entry point with a hosts name and an unknown name as well.
    switch (c.kind) {
      case kGhbaR:
      case kGhba:
        names[1] = "192.0.2.10";
        names[2] = "192.0.2.250";
        break;
      case kGni:
        names[1] = "192.0.2.11";
        names[2] = "2001:db8:ffff::1";
        break;
      case kResSearch:
      case kResQuery:
      case kResNsearch:
      case kResSend:
      case kResQuerydomain:
        names[1] = "nx.test";
        names[2] = "nosuchname";
        break;
      default:
        names[1] = "filehost.test";
        names[2] = "nx.test";
        break;
    }
    for (int n = 0; n < per_entry; ++n) {
      Case k = {c.kind, names[n % 3]};
      run_case(&k, &t);
      ++calls;
      list_fds(after, sizeof after);
      if (strcmp(before, after) != 0) {
        if (++failures <= 5)
          fprintf(stderr, "fds: after %s(%s) #%d: open descriptors [%s], before [%s]\n",
                  kKindNames[k.kind], k.name, n, after, before);
        list_fds(before, sizeof before);
      }
    }
  }
  printf(
      "fds: %ld calls of %d entry points in %.1f s; calls that changed the open descriptors: %d "
      "(open throughout: %s)\n",
      calls, NENTRY, now_s() - start, failures, before);
  free(t.p);
  return failures == 0 ? 0 : 1;
}

static bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

// Descriptor 0 closed: our sockets may be given 0, and must give it back.
// Then 0 reused by the program: we must not touch it.
static int mode_fd0(void) {
  compute_expected();
  Text t = new_text();
  int failures = 0;
  close(0);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < NCASES; ++i) {
      if (!check_case(i, &t, "fd0 closed")) ++failures;
      if (fd_is_open(0)) {
        fprintf(stderr, "fd0: descriptor 0 left open after %s(%s)\n", kKindNames[kCases[i].kind],
                kCases[i].name);
        ++failures;
        close(0);
      }
    }
    for (int i = 0; i < NENTRY; ++i) {
      run_case(&kEntryPoints[i], &t);
      if (fd_is_open(0)) {
        fprintf(stderr, "fd0: descriptor 0 left open after %s(%s)\n",
                kKindNames[kEntryPoints[i].kind], kEntryPoints[i].name);
        ++failures;
        close(0);
      }
    }
  }
  int fd = open("/dev/null", O_RDONLY);
  if (fd != 0) {
    fprintf(stderr, "fd0: the program's open() got %d, not 0\n", fd);
    return 1;
  }
  struct stat mine, now;
  fstat(0, &mine);
  for (int i = 0; i < NCASES; ++i) {
    if (!check_case(i, &t, "fd0 reused")) ++failures;
    if (fstat(0, &now) != 0 || now.st_ino != mine.st_ino || now.st_dev != mine.st_dev) {
      fprintf(stderr, "fd0: the program's descriptor 0 was closed or replaced by %s(%s)\n",
              kKindNames[kCases[i].kind], kCases[i].name);
      ++failures;
    }
  }
  printf(
      "fd0: %d cases and %d entry points twice with descriptor 0 closed, then %d cases with 0 "
      "reused: %d failures\n",
      NCASES, NENTRY, NCASES, failures);
  return failures == 0 ? 0 : 1;
}

// Every descriptor below 2048 taken: our sockets and files get numbers past
// FD_SETSIZE, where anything still using select() or fd_set would write out
// of bounds.
static int mode_highfd(void) {
  compute_expected();
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < 4096) {
    rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur < 2100) {
    printf("highfd: RLIMIT_NOFILE is only %ld\n", (long)rl.rlim_cur);
    return 77;
  }
  int last = -1;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    last = fd;
    if (fd >= 2047) break;
  }
  char before[16384], after[16384];
  list_fds(before, sizeof before);
  Text t = new_text();
  int failures = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < NCASES; ++i)
      if (!check_case(i, &t, "highfd")) ++failures;
    for (int i = 0; i < NENTRY; ++i) run_case(&kEntryPoints[i], &t);
  }
  list_fds(after, sizeof after);
  if (strcmp(before, after) != 0) {
    fprintf(stderr, "highfd: the open descriptors changed\n");
    ++failures;
  }
  printf("highfd: descriptors 3..%d taken, %d cases and %d entry points 3 times: %d failures\n",
         last, NCASES, NENTRY, failures);
  free(t.p);
  return failures == 0 ? 0 : 1;
}

// RLIMIT_NOFILE exhausted: every entry point must come back at once with a
// clean failure (or an answer that needed no descriptor); then with 1, 2, ...
// free descriptors, nothing may leak. Prints each answer for comparison with
// glibc (lines "nofile-answer ...").
static int nofile_round(const char* label, Text* t) {
  int failures = 0;
  const Case dns_gai[] = {{kGai, "dual.test"}, {kGai, "filehost.test"}, {kGai, "big4.test"}};
  for (int i = 0; i < 3 + NENTRY; ++i) {
    const Case* c = i < 3 ? &dns_gai[i] : &kEntryPoints[i - 3];
    char before[8192], after[8192];
    list_fds(before, sizeof before);
    errno = 0;
    double start = now_s();
    run_case(c, t);
    int saved_errno = errno;
    double took = now_s() - start;
    list_fds(after, sizeof after);
    (void)saved_errno;
    printf("nofile-answer %s %s(%s) %.200s\n", label, kKindNames[c->kind], c->name, t->p);
    if (c->kind == kGai && strcmp(c->name, "dual.test") == 0 && strcmp(label, "free=0") == 0) {
      // Resolving a DNS name needs a socket: EAI_SYSTEM with errno EMFILE, or
      // EAI_AGAIN.
      int rc = atoi(t->p + 3);
      printf("nofile: getaddrinfo(dual.test) with no descriptor left: %s (%s)\n", gai_strerror(rc),
             t->p);
      if (rc != EAI_AGAIN && (rc != EAI_SYSTEM || strstr(t->p, "errno=24") == NULL)) {
        fprintf(stderr,
                "nofile: getaddrinfo(dual.test) gave %s, not EAI_SYSTEM/EMFILE or EAI_AGAIN\n",
                t->p);
        ++failures;
      }
    }
    if (took > 3.0) {
      fprintf(stderr, "nofile %s: %s(%s) took %.1f s\n", label, kKindNames[c->kind], c->name, took);
      ++failures;
    }
    if (strcmp(before, after) != 0) {
      fprintf(stderr, "nofile %s: %s(%s) changed the descriptors: [%s] -> [%s]\n", label,
              kKindNames[c->kind], c->name, before, after);
      ++failures;
    }
  }
  return failures;
}

static int mode_nofile(bool warm) {
  Text t = new_text();
  if (warm) {
    for (int i = 0; i < NENTRY; ++i) run_case(&kEntryPoints[i], &t);
  }
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = 64;
  setrlimit(RLIMIT_NOFILE, &rl);
  int fillers[128], nfill = 0;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    fillers[nfill++] = fd;
  }
  int failures = 0;
  for (int free_fds = 0; free_fds <= 8; ++free_fds) {
    char label[32];
    snprintf(label, sizeof label, "free=%d", free_fds);
    failures += nofile_round(label, &t);
    if (nfill > 0) close(fillers[--nfill]);
  }
  while (nfill > 0) close(fillers[--nfill]);
  // And everything is right again once descriptors are back.
  compute_expected();
  printf("nofile (%s): every entry point with 0..8 free descriptors: %d failures\n",
         warm ? "after earlier lookups" : "first lookups of the process", failures);
  free(t.p);
  return failures == 0 ? 0 : 1;
}

// ---- stacks

typedef struct {
  const Case* c;
  int repeat;
  Text* t;
} StackJob;

static void* stack_job(void* arg) {
  StackJob* j = arg;
  for (int r = 0; r < j->repeat; ++r) run_case(j->c, j->t);
  return NULL;
}

static int run_on_small_stack(const Case* c, size_t stack, size_t guard, Text* t) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack);
  if (guard) pthread_attr_setguardsize(&attr, guard);
  StackJob job = {c, 3, t};
  pthread_t th;
  int rc = pthread_create(&th, &attr, stack_job, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) return rc;
  pthread_join(th, NULL);
  return 0;
}

// Every case and entry point on a 64 KiB thread stack, with glibc's default
// guard page and with a 64 KiB guard (a big frame cannot jump a small guard
// unseen). A stack overflow kills the process with SIGSEGV.
static int mode_smallstack(void) {
  compute_expected();
  Text t = new_text();
  int failures = 0;
  for (int g = 0; g < 2; ++g) {
    size_t guard = g == 0 ? 0 : 65536;
    for (int i = 0; i < NCASES; ++i) {
      run_on_small_stack(&kCases[i], 65536, guard, &t);
      if (strcmp(t.p, g_expected[i]) != 0) {
        fprintf(stderr, "smallstack: %s(%s)\n  expected %.300s\n  got      %.300s\n",
                kKindNames[kCases[i].kind], kCases[i].name, g_expected[i], t.p);
        ++failures;
      }
    }
    for (int i = 0; i < NENTRY; ++i) run_on_small_stack(&kEntryPoints[i], 65536, guard, &t);
  }
  printf(
      "smallstack: %d cases and %d entry points on 64 KiB stacks (default and 64 KiB guard): %d "
      "wrong answers, no crash\n",
      NCASES, NENTRY, failures);
  return failures == 0 ? 0 : 1;
}

// Stack high-water mark of each entry point: a thread runs it on a stack we
// filled with a pattern; the deepest byte changed below the caller's frame
// is the entry point's use. First use in a fresh process (configuration
// loaded, symbols bound) and steady state are measured apart.
#define MEASURED_STACK (512 * 1024)
static unsigned char* g_measured_stack;

typedef struct {
  const Case* c;
  Text* t;
  uintptr_t entry_sp;
} MeasureJob;

static __attribute__((noinline)) void measured_call(MeasureJob* j) {
  j->entry_sp = (uintptr_t)__builtin_frame_address(0);
  run_case(j->c, j->t);
}

static void* measure_job(void* arg) {
  measured_call(arg);
  return NULL;
}

static long measure_once(const Case* c, Text* t) {
  memset(g_measured_stack, 0xa5, MEASURED_STACK);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, g_measured_stack, MEASURED_STACK);
  MeasureJob job = {c, t, 0};
  pthread_t th;
  if (pthread_create(&th, &attr, measure_job, &job) != 0) return -1;
  pthread_join(th, NULL);
  pthread_attr_destroy(&attr);
  size_t low = 0;
  while (low < MEASURED_STACK && g_measured_stack[low] == 0xa5) ++low;
  return (long)(job.entry_sp - (uintptr_t)(g_measured_stack + low));
}

static int mode_stackuse(long limit) {
  // Mapped once, before any lookup, with an inaccessible page below.
  unsigned char* map = mmap(NULL, MEASURED_STACK + 4096, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (map == MAP_FAILED) return 1;
  mprotect(map, 4096, PROT_NONE);
  g_measured_stack = map + 4096;
  int failures = 0;
  for (int i = 0; i < NENTRY; ++i) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      Text t = new_text();
      long cold = measure_once(&kEntryPoints[i], &t);
      long warm = 0;
      for (int r = 0; r < 3; ++r) {
        long w = measure_once(&kEntryPoints[i], &t);
        if (w > warm) warm = w;
      }
      printf("stackuse: %-17s %-15s first call %6ld bytes, later calls %6ld bytes\n",
             kKindNames[kEntryPoints[i].kind], kEntryPoints[i].name, cold, warm);
      long used = cold > warm ? cold : warm;
      _exit(used > limit ? 2 : 0);
    }
    int status = 0;
    if (wait_child(pid, 60000, &status) != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      ++failures;
      fprintf(stderr, "stackuse: %s(%s) used more than %ld bytes or failed (status %d)\n",
              kKindNames[kEntryPoints[i].kind], kEntryPoints[i].name, limit, status);
    }
  }
  return failures == 0 ? 0 : 1;
}

// ---- signals

static atomic_long g_signals;
static void on_timer(int sig) {
  (void)sig;
  int saved = errno;
  atomic_fetch_add(&g_signals, 1);
  errno = saved;
}

static void start_timer(long interval_us) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sa.sa_flags = 0;  // no SA_RESTART: interrupted system calls fail with EINTR
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, interval_us}, {0, interval_us}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_timer(void) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  setitimer(ITIMER_REAL, &it, NULL);
}

// A timer signal every millisecond while every case is resolved in a loop,
// in this thread and in three others.
static int mode_signals(double seconds) {
  compute_expected();
  Pool* pool = calloc(1, sizeof *pool);
  start_timer(1000);
  double start = now_s();
  start_pool(pool, 3);
  Text t = new_text();
  long ops = 0;
  for (unsigned n = 0; now_s() - start < seconds; ++n, ++ops)
    check_case((int)(n % NCASES), &t, "signals");
  ops += stop_pool(pool);
  stop_timer();
  int bad = atomic_load(&g_mismatches);
  printf("signals: %ld lookups with a SIGALRM every 1 ms (%ld delivered): %d wrong answers\n", ops,
         atomic_load(&g_signals), bad);
  return bad == 0 ? 0 : 1;
}

// The only nameserver never answers (a socket we hold and never read, at the
// address the runner put in resolv.conf, timeout:1 attempts:1): with a signal
// every millisecond, each lookup must still give up after glibc's time, not
// restart its wait at every EINTR. Prints the times for the runner.
static int mode_signals_slow(const char* blackhole) {
  int hole = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
  inet_pton(AF_INET, blackhole, &sin.sin_addr);
  if (bind(hole, (struct sockaddr*)&sin, sizeof sin) != 0) {
    perror("bind blackhole");
    return 1;
  }
  const Case slow[] = {{kGai, "slow.test."},
                       {kGhbnR, "slow.test."},
                       {kGni, "198.51.100.1"},
                       {kResSearch, "slow.test."},
                       {kGai, "filehost.test"}};
  Text t = new_text();
  for (int with_signals = 0; with_signals < 2; ++with_signals) {
    if (with_signals) start_timer(1000);
    for (size_t i = 0; i < sizeof slow / sizeof slow[0]; ++i) {
      double start = now_s();
      run_case(&slow[i], &t);
      double took = now_s() - start;
      printf("signals-slow %s %s(%s) %.2f s: %s\n", with_signals ? "signals" : "quiet",
             kKindNames[slow[i].kind], slow[i].name, took, t.p);
    }
    if (with_signals) stop_timer();
  }
  printf("signals-slow: %ld signals delivered\n", atomic_load(&g_signals));
  close(hole);
  return 0;
}

// ---- cancellation

static void* cancel_target(void* arg) {
  Text t = new_text();
  run_case(arg, &t);
  free(t.p);
  return NULL;
}

// pthread_cancel of a thread waiting in a lookup (the only nameserver never
// answers): no descriptor may leak and no lock stay held, so that the next
// lookups of the process, of every kind, still complete.
static int mode_cancel(const char* blackhole) {
  int hole = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
  inet_pton(AF_INET, blackhole, &sin.sin_addr);
  if (bind(hole, (struct sockaddr*)&sin, sizeof sin) != 0) {
    perror("bind blackhole");
    return 1;
  }
  const Case slow[] = {{kGai, "slow.test."},         {kGhbnR, "slow.test."},
                       {kGniNofqdn, "198.51.100.1"}, {kGni, "198.51.100.7"},
                       {kResSearch, "slow.test."},   {kResNsearch, "slow.test."},
                       {kGaiA, "slow.test."},        {kGhbn, "slow.test."}};
  const int nslow = (int)(sizeof slow / sizeof slow[0]);
  Text t = new_text();
  run_case(&(Case){kGai, "filehost.test"}, &t);
  char before[8192], after[8192];
  list_fds(before, sizeof before);
  int failures = 0, cancelled = 0;
  for (int i = 0; i < nslow; ++i) {
    pthread_t th;
    pthread_create(&th, NULL, cancel_target, (void*)&slow[i]);
    sleep_ms(300);  // well inside the 1 s wait for the silent server
    pthread_cancel(th);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    void* result = NULL;
    if (pthread_timedjoin_np(th, &result, &deadline) != 0) {
      fprintf(stderr, "cancel: %s(%s): the cancelled thread did not end\n",
              kKindNames[slow[i].kind], slow[i].name);
      ++failures;
      pthread_detach(th);
      continue;
    }
    if (result == PTHREAD_CANCELED) ++cancelled;
    list_fds(after, sizeof after);
    if (strcmp(before, after) != 0) {
      fprintf(stderr, "cancel: %s(%s) cancelled: descriptors [%s] -> [%s]\n",
              kKindNames[slow[i].kind], slow[i].name, before, after);
      ++failures;
      list_fds(before, sizeof before);
    }
    // Every kind of lookup still completes (after the silent server's
    // timeout), all at once.
    pthread_t followers[16];
    for (int k = 0; k < nslow; ++k)
      pthread_create(&followers[k], NULL, cancel_target, (void*)&slow[k]);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    for (int k = 0; k < nslow; ++k) {
      if (pthread_timedjoin_np(followers[k], NULL, &deadline) != 0) {
        fprintf(stderr, "cancel: after cancelling %s(%s), %s(%s) hangs\n", kKindNames[slow[i].kind],
                slow[i].name, kKindNames[slow[k].kind], slow[k].name);
        ++failures;
        pthread_detach(followers[k]);
      }
    }
  }
  printf(
      "cancel: %d lookups cancelled while waiting for a silent server (%d ended inside the call, "
      "the others at their return): %d failures\n",
      nslow, cancelled, failures);
  close(hole);
  return failures == 0 ? 0 : 1;
}

// ---- spawn

// Children started with posix_spawn and vfork+exec from a process whose
// threads resolve (and whose children inherit LD_PRELOAD) must start, run
// and exit normally; spawned copies of this probe resolve and check.
static int mode_spawn(double seconds, const char* self) {
  compute_expected();
  Pool* pool = calloc(1, sizeof *pool);
  start_pool(pool, 4);
  double start = now_s();
  long spawned = 0, vforked = 0, resolving = 0;
  int failures = 0;
  while (now_s() - start < seconds) {
    pid_t pid;
    int status = 0;
    char* true_argv[] = {"/bin/true", NULL};
    if (posix_spawn(&pid, "/bin/true", NULL, NULL, true_argv, environ) != 0) {
      ++failures;
    } else if (wait_child(pid, 10000, &status) != 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
      ++failures;
      fprintf(stderr, "spawn: /bin/true via posix_spawn: status %d\n", status);
    } else {
      ++spawned;
    }
    pid = vfork();
    if (pid == 0) {
      execve("/bin/true", true_argv, environ);
      _exit(127);
    }
    if (pid < 0 || wait_child(pid, 10000, &status) != 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status)) {
      ++failures;
      fprintf(stderr, "spawn: /bin/true via vfork: status %d\n", status);
    } else {
      ++vforked;
    }
    char* probe_argv[] = {(char*)self, "child-check", NULL};
    if (posix_spawn(&pid, self, NULL, NULL, probe_argv, environ) != 0) {
      ++failures;
    } else if (wait_child(pid, 30000, &status) != 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
      ++failures;
      fprintf(stderr, "spawn: resolving child: status %d\n", status);
    } else {
      ++resolving;
    }
  }
  long ops = stop_pool(pool);
  int bad = atomic_load(&g_mismatches);
  printf(
      "spawn: %ld posix_spawn, %ld vfork+exec, %ld resolving children while 4 threads resolved "
      "(%ld lookups): %d failed children, %d wrong answers\n",
      spawned, vforked, resolving, ops, failures, bad);
  return failures == 0 && bad == 0 ? 0 : 1;
}

static int mode_child_check(void) {
  Text t = new_text();
  const Case some[] = {{kGai, "dual.test"}, {kGai, "filehost.test"}, {kGhbnR, "multi4.test"}};
  const char* const addresses[] = {" 2/1/6/198.51.100.2", " 2/1/6/192.0.2.10", " 198.51.100.11 "};
  int ok = 1;
  for (int i = 0; i < 3; ++i) {
    run_case(&some[i], &t);
    ok &= strncmp(t.p, "rc=0 ", 5) == 0 && strstr(t.p, addresses[i]) != NULL;
  }
  return ok ? 0 : 1;
}

// ASan and TSan builds need several times the stack: the stack modes say so
// and are skipped there.
static bool under_stack_hungry_sanitizer(void) {
  return dlsym(RTLD_DEFAULT, "__asan_init") != NULL || dlsym(RTLD_DEFAULT, "__tsan_init") != NULL ||
         dlsym(RTLD_DEFAULT, "__msan_init") != NULL;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    fprintf(
        stderr,
        "usage: %s answers|threads [N SECONDS]|fork [N]|fds [N]|fd0|nofile cold|warm|smallstack|"
        "stackuse [LIMIT]|signals [SECONDS]|signals-slow ADDRESS|spawn [SECONDS]\n",
        argv[0]);
    return 2;
  }
  const char* mode = argv[1];
  if (!strcmp(mode, "answers")) return mode_answers();
  if (!strcmp(mode, "threads"))
    return mode_threads(argc > 2 ? atoi(argv[2]) : 16, argc > 3 ? atof(argv[3]) : 3.0);
  if (!strcmp(mode, "fork")) return mode_fork(argc > 2 ? atoi(argv[2]) : 200);
  if (!strcmp(mode, "fds")) return mode_fds(argc > 2 ? atoi(argv[2]) : 2000);
  if (!strcmp(mode, "fd0")) return mode_fd0();
  if (!strcmp(mode, "highfd")) return mode_highfd();
  if (!strcmp(mode, "cancel")) return mode_cancel(argc > 2 ? argv[2] : "127.0.0.2");
  if (!strcmp(mode, "nofile")) return mode_nofile(argc > 2 && !strcmp(argv[2], "warm"));
  if ((!strcmp(mode, "smallstack") || !strcmp(mode, "stackuse")) &&
      under_stack_hungry_sanitizer()) {
    printf("%s: skipped: a sanitizer runtime is loaded (its stack use is not ours)\n", mode);
    return 77;
  }
  if (!strcmp(mode, "smallstack")) return mode_smallstack();
  if (!strcmp(mode, "stackuse")) return mode_stackuse(argc > 2 ? atol(argv[2]) : 49152);
  if (!strcmp(mode, "signals")) return mode_signals(argc > 2 ? atof(argv[2]) : 3.0);
  if (!strcmp(mode, "signals-slow")) return mode_signals_slow(argc > 2 ? argv[2] : "127.0.0.2");
  if (!strcmp(mode, "spawn")) return mode_spawn(argc > 2 ? atof(argv[2]) : 3.0, argv[0]);
  if (!strcmp(mode, "child-check")) return mode_child_check();
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
