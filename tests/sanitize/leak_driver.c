/* Every kind of lookup, ITERATIONS times each, for a leak checker (valgrind
 * or LeakSanitizer) to find what is not given back. Run inside
 * scripts/sandbox.sh with libaresolv.so preloaded:
 *
 *   leak_driver [ITERATIONS [--threads]]        (default 10000, one kind after
 *                                               the other; --threads: each
 *                                               kind in its own thread, at once)
 *
 * Kinds: getaddrinfo+freeaddrinfo of a /etc/hosts name, a DNS name (both
 * families, through a CNAME), an NXDOMAIN name and an answer truncated over
 * UDP (TCP); gethostbyname, gethostbyname2, gethostbyname_r, gethostbyaddr,
 * getnameinfo, res_search, getaddrinfo_a (GAI_WAIT). Every answer is checked
 * for being an answer at all, so that a run that resolved nothing cannot pass.
 * Exit status 0, or 1 when a lookup gave an unexpected result. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum kind {
  kGaiHosts,
  kGaiDns,
  kGaiCname,
  kGaiNxdomain,
  kGaiTcp,
  kGethostbyname,
  kGethostbyname2,
  kGethostbynameR,
  kGethostbyaddr,
  kGetnameinfo,
  kResSearch,
  kGetaddrinfoA,
  kKindCount
};
static const char *const kKindNames[kKindCount] = {
    "getaddrinfo(hosts)", "getaddrinfo(dns)", "getaddrinfo(cname)", "getaddrinfo(nxdomain)",
    "getaddrinfo(tcp)",   "gethostbyname",    "gethostbyname2",     "gethostbyname_r",
    "gethostbyaddr",      "getnameinfo",      "res_search",         "getaddrinfo_a"};
static long g_done[kKindCount];
static long g_wrong[kKindCount];
static double g_seconds[kKindCount];

static int gai(const char *name, int family, int expected) {
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  int status = getaddrinfo(name, "http", &hints, &list);
  int ok = status == expected && (status != 0 || (list != NULL && list->ai_canonname != NULL));
  if (list != NULL) freeaddrinfo(list);
  return ok;
}

/* One lookup of kind k; returns whether the answer was the expected one. */
static int lookup(enum kind k) {
  static const unsigned char kA4[4] = {198, 51, 100, 1};
  switch (k) {
    case kGaiHosts:
      return gai("filemulti.test", AF_UNSPEC, 0);
    case kGaiDns:
      return gai("dual.test", AF_UNSPEC, 0);
    case kGaiCname:
      return gai("cname2.test", AF_INET6, 0);
    case kGaiNxdomain:
      return gai("nx.test", AF_UNSPEC, EAI_NONAME);
    case kGaiTcp:
      return gai("big4.test", AF_INET, 0);
    case kGethostbyname: {
      struct hostent *h = gethostbyname("a4.test");
      return h != NULL && h->h_addr_list[0] != NULL;
    }
    case kGethostbyname2: /* IPv4 only in files, nothing in DNS: not found */
      return gethostbyname2("filehost.test", AF_INET6) == NULL;
    case kGethostbynameR: {
      char buffer[4096];
      struct hostent host, *result = NULL;
      int h_errno_value = 0;
      int rc =
          gethostbyname_r("cname1.test", &host, buffer, sizeof buffer, &result, &h_errno_value);
      return rc == 0 && result != NULL && result->h_aliases[0] != NULL;
    }
    case kGethostbyaddr: {
      struct hostent *h = gethostbyaddr(kA4, sizeof kA4, AF_INET);
      return h != NULL && strcmp(h->h_name, "a4.test") == 0;
    }
    case kGetnameinfo: {
      struct sockaddr_in sin;
      memset(&sin, 0, sizeof sin);
      sin.sin_family = AF_INET;
      sin.sin_port = htons(80);
      memcpy(&sin.sin_addr, kA4, 4);
      char host_name[NI_MAXHOST], service[NI_MAXSERV];
      int rc = getnameinfo((struct sockaddr *)&sin, sizeof sin, host_name, sizeof host_name,
                           service, sizeof service, NI_NAMEREQD);
      return rc == 0 && strcmp(host_name, "a4.test") == 0;
    }
    case kResSearch: {
      unsigned char answer[1232];
      return res_search("intra", ns_c_in, ns_t_a, answer, sizeof answer) > 12;
    }
    case kGetaddrinfoA: {
      struct gaicb request;
      struct gaicb *requests[1] = {&request};
      memset(&request, 0, sizeof request);
      request.ar_name = "multidual.test";
      int rc = getaddrinfo_a(GAI_WAIT, requests, 1, NULL);
      int ok = rc == 0 && gai_error(&request) == 0 && request.ar_result != NULL;
      if (request.ar_result != NULL) freeaddrinfo(request.ar_result);
      return ok;
    }
    case kKindCount:
      break;
  }
  return 0;
}

static long g_iterations = 10000;

static void *run_kind(void *arg) {
  enum kind k = (enum kind)(size_t)arg;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (long i = 0; i < g_iterations; ++i) {
    ++g_done[k];
    if (!lookup(k) && g_wrong[k]++ < 3) fprintf(stderr, "unexpected result: %s\n", kKindNames[k]);
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  g_seconds[k] = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) g_iterations = atol(argv[1]);
  int threaded = argc > 2 && strcmp(argv[2], "--threads") == 0;
  pthread_t threads[kKindCount];
  for (int k = 0; k < kKindCount; ++k) {
    if (!threaded) {
      run_kind((void *)(size_t)k);
    } else if (pthread_create(&threads[k], NULL, run_kind, (void *)(size_t)k) != 0) {
      perror("pthread_create");
      return 1;
    }
  }
  if (threaded)
    for (int k = 0; k < kKindCount; ++k) pthread_join(threads[k], NULL);
  int wrong = 0;
  for (int k = 0; k < kKindCount; ++k) {
    printf("%-22s %ld lookups, %ld unexpected, %.3f ms each\n", kKindNames[k], g_done[k],
           g_wrong[k], g_done[k] ? g_seconds[k] * 1e3 / g_done[k] : 0.0);
    wrong += g_wrong[k] != 0;
  }
  return wrong == 0 ? 0 : 1;
}
