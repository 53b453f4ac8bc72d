/* Multi-threaded resolving stress, for ThreadSanitizer (and ASan): THREADS
 * threads each run ITERATIONS rounds of getaddrinfo, gethostbyname_r,
 * gethostbyname2_r, gethostbyaddr_r and getnameinfo over the fixture names of
 * tests/fixtures (files, DNS, CNAME, NXDOMAIN, truncated-to-TCP), checking
 * every answer against the fixture, while other threads do the same. Run
 * inside scripts/sandbox.sh with libaresolv.so preloaded:
 *
 *   stress [THREADS [ITERATIONS [LIBRARY]]]   (default 8 threads, 40 rounds)
 *
 * With LIBRARY (a file name, e.g. libaresolv.so), getaddrinfo must come from
 * it: a run that tested glibc instead fails.
 *
 * Exit status 0 when every answer was right, 1 otherwise (the first wrong
 * answers are printed). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct expectation {
  const char *name;
  int status;            /* getaddrinfo's return for AF_INET */
  const char *ipv4;      /* first AF_INET address, or NULL */
  const char *canonical; /* AI_CANONNAME answer for AF_INET, or NULL */
};

static const struct expectation kNames[] = {
    {"localhost", 0, "127.0.0.1", "localhost"},
    {"filehost.test", 0, "192.0.2.10", "filehost.test"},
    {"FileAlias.test", 0, "192.0.2.10", "filehost.test"},
    {"indns.test", 0, "192.0.2.15", "indns.test"},
    {"a4.test", 0, "198.51.100.1", "a4.test"},
    {"dual.test", 0, "198.51.100.2", "dual.test"},
    {"cname4.test", 0, "198.51.100.2", "dual.test"},
    {"intra", 0, "198.51.100.31", "intra.corp.test"},
    {"big4.test", 0, "203.0.113.1", "big4.test"},
    {"a6.test", EAI_NODATA, NULL, NULL},
    {"nx.test", EAI_NONAME, NULL, NULL},
};
#define NAME_COUNT (sizeof kNames / sizeof kNames[0])

static atomic_int g_failures;
static int g_iterations = 40;

static void fail(const char *what, const char *name, const char *detail) {
  if (atomic_fetch_add(&g_failures, 1) < 20)
    fprintf(stderr, "WRONG %s %s: %s\n", what, name, detail);
}

static void check_getaddrinfo(const struct expectation *e) {
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  int status = getaddrinfo(e->name, "80", &hints, &list);
  if (status != e->status) {
    fail("getaddrinfo", e->name, gai_strerror(status));
  } else if (status == 0) {
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &((struct sockaddr_in *)list->ai_addr)->sin_addr, text, sizeof text);
    if (strcmp(text, e->ipv4) != 0) fail("getaddrinfo address", e->name, text);
    if (list->ai_canonname == NULL || strcmp(list->ai_canonname, e->canonical) != 0)
      fail("getaddrinfo canonname", e->name, list->ai_canonname ? list->ai_canonname : "(null)");
  }
  if (list != NULL) freeaddrinfo(list);

  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_ADDRCONFIG | AI_V4MAPPED;
  list = NULL;
  if (getaddrinfo(e->name, "http", &hints, &list) == 0) freeaddrinfo(list);
}

static void check_gethostbyname(const struct expectation *e, char *buffer, size_t size) {
  struct hostent host, *result = NULL;
  int h_errno_value = 0;
  int rc = gethostbyname_r(e->name, &host, buffer, size, &result, &h_errno_value);
  if (rc != 0) {
    char detail[64];
    snprintf(detail, sizeof detail, "returned %d", rc);
    fail("gethostbyname_r", e->name, detail);
    return;
  }
  if (e->status == 0) {
    char text[INET_ADDRSTRLEN];
    if (result == NULL) {
      fail("gethostbyname_r", e->name, "not found");
      return;
    }
    inet_ntop(AF_INET, result->h_addr_list[0], text, sizeof text);
    if (strcmp(text, e->ipv4) != 0) fail("gethostbyname_r address", e->name, text);
    if (strcmp(result->h_name, e->canonical) != 0)
      fail("gethostbyname_r h_name", e->name, result->h_name);
    /* The reverse of the answer, and its getnameinfo. */
    struct hostent rhost, *rresult = NULL;
    char rbuffer[2048];
    gethostbyaddr_r(result->h_addr_list[0], 4, AF_INET, &rhost, rbuffer, sizeof rbuffer, &rresult,
                    &h_errno_value);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(53);
    memcpy(&sin.sin_addr, result->h_addr_list[0], 4);
    char host_name[NI_MAXHOST], service[NI_MAXSERV];
    int status = getnameinfo((struct sockaddr *)&sin, sizeof sin, host_name, sizeof host_name,
                             service, sizeof service, 0);
    if (status != 0) {
      fail("getnameinfo", text, gai_strerror(status));
    } else if (strcmp(service, "domain") != 0) {
      fail("getnameinfo service", text, service);
    } else if (rresult != NULL && strcmp(host_name, rresult->h_name) != 0) {
      fail("getnameinfo vs gethostbyaddr_r", text, host_name);
    }
  } else if (result != NULL) {
    fail("gethostbyname_r", e->name, "found, expected not found");
  }
  result = NULL;
  gethostbyname2_r(e->name, AF_INET6, &host, buffer, size, &result, &h_errno_value);
}

static void *worker(void *arg) {
  size_t offset = (size_t)arg;
  size_t size = 8192;
  char *buffer = malloc(size);
  if (buffer == NULL) abort();
  for (int i = 0; i < g_iterations; ++i) {
    const struct expectation *e = &kNames[(offset + (size_t)i) % NAME_COUNT];
    check_getaddrinfo(e);
    check_gethostbyname(e, buffer, size);
  }
  free(buffer);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 8;
  if (argc > 2) g_iterations = atoi(argv[2]);
  if (threads < 1 || threads > 256 || g_iterations < 1) {
    fprintf(stderr, "usage: stress [THREADS [ITERATIONS [LIBRARY]]]\n");
    return 2;
  }
  pthread_t ids[256];
  for (int t = 0; t < threads; ++t) {
    if (pthread_create(&ids[t], NULL, worker, (void *)(size_t)t) != 0) {
      perror("pthread_create");
      return 1;
    }
  }
  for (int t = 0; t < threads; ++t) pthread_join(ids[t], NULL);
  int failures = atomic_load(&g_failures);
  Dl_info info;
  void *address = dlsym(RTLD_DEFAULT, "getaddrinfo");
  const char *provider =
      address != NULL && dladdr(address, &info) != 0 && info.dli_fname ? info.dli_fname : "?";
  printf("stress: getaddrinfo from %s\n", provider);
  if (argc > 3 && strstr(provider, argv[3]) == NULL) {
    fprintf(stderr, "stress: getaddrinfo is not from %s\n", argv[3]);
    failures++;
  }
  printf("stress: %d threads x %d rounds x %zu-name cycle: %d wrong answers\n", threads,
         g_iterations, NAME_COUNT, failures);
  return failures == 0 ? 0 : 1;
}
