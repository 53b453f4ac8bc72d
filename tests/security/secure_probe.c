/* secure_probe [--loop MS] QUERY...: resolves each QUERY and prints one line
   per answer on stdout, nothing on stderr. The security tests run a setuid
   copy and a plain copy of it as an unprivileged user.

   QUERY is one of
     whoami        at_secure=<getauxval(AT_SECURE)> ruid=<> euid=<> aresolv=<yes|no>
                   (aresolv: getaddrinfo is libaresolv.so's)
     now           the CLOCK_MONOTONIC time in milliseconds
     gai4:NAME     getaddrinfo(NAME, AF_INET, SOCK_STREAM): the addresses in order
     gai:NAME      the same with AF_UNSPEC
     port:SERVICE  getaddrinfo(NULL, SERVICE, AF_INET, SOCK_STREAM): the port
     ghbn:NAME     gethostbyname(NAME): the addresses
     gni:IPV4      getnameinfo(IPV4, NI_NAMEREQD): the host name
     gaia:NAME     getaddrinfo_a(GAI_WAIT, NAME, AF_INET, SOCK_STREAM): the addresses
     res:NAME      res_search(NAME, IN, A): the addresses of the answer
     setenv:VAR=VALUE, unsetenv:VAR
                   change the environment between lookups (prints "ok")
   With --loop MS, the queries are repeated every 20 ms for MS milliseconds,
   each line prefixed with the CLOCK_MONOTONIC time in milliseconds. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <link.h>
#include <netdb.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_address(const struct sockaddr* sa) {
  char text[INET6_ADDRSTRLEN];
  const void* bytes = sa->sa_family == AF_INET6
                          ? (const void*)&((const struct sockaddr_in6*)sa)->sin6_addr
                          : (const void*)&((const struct sockaddr_in*)sa)->sin_addr;
  inet_ntop(sa->sa_family, bytes, text, sizeof text);
  printf(" %s", text);
}

static void query_gai(const char* name, int family) {
  struct addrinfo hints = {0}, *list = NULL;
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(name, NULL, &hints, &list);
  if (rc != 0) {
    printf(" error %d", rc);
    return;
  }
  for (struct addrinfo* ai = list; ai != NULL; ai = ai->ai_next) print_address(ai->ai_addr);
  freeaddrinfo(list);
}

static void query_gaia(const char* name) {
  struct addrinfo hints = {0};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  struct gaicb request = {0};
  request.ar_name = name;
  request.ar_request = &hints;
  struct gaicb* list[1] = {&request};
  int rc = getaddrinfo_a(GAI_WAIT, list, 1, NULL);
  if (rc == 0) rc = gai_error(&request);
  if (rc != 0) {
    printf(" error %d", rc);
    return;
  }
  for (struct addrinfo* ai = request.ar_result; ai != NULL; ai = ai->ai_next)
    print_address(ai->ai_addr);
  freeaddrinfo(request.ar_result);
}

/* Skips a possibly compressed name; returns the offset after it, or -1. */
static int skip_name(const unsigned char* msg, int length, int offset) {
  while (offset < length) {
    unsigned char label = msg[offset];
    if (label == 0) return offset + 1;
    if ((label & 0xc0) == 0xc0) return offset + 2;
    offset += 1 + label;
  }
  return -1;
}

static void query_res(const char* name) {
  unsigned char answer[1024];
  int length = res_search(name, ns_c_in, ns_t_a, answer, sizeof answer);
  if (length < 12) {
    printf(" error h_errno=%d", h_errno);
    return;
  }
  if (length > (int)sizeof answer) length = sizeof answer;
  int questions = answer[4] << 8 | answer[5], answers = answer[6] << 8 | answer[7];
  int offset = 12;
  for (int i = 0; i < questions && offset >= 0; ++i) {
    offset = skip_name(answer, length, offset);
    if (offset >= 0) offset += 4;
  }
  for (int i = 0; i < answers && offset >= 0; ++i) {
    offset = skip_name(answer, length, offset);
    if (offset < 0 || offset + 10 > length) break;
    int type = answer[offset] << 8 | answer[offset + 1];
    int rdlength = answer[offset + 8] << 8 | answer[offset + 9];
    offset += 10;
    if (offset + rdlength > length) break;
    if (type == ns_t_a && rdlength == 4) {
      char text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, answer + offset, text, sizeof text);
      printf(" %s", text);
    }
    offset += rdlength;
  }
}

static void query_port(const char* service) {
  struct addrinfo hints = {0}, *list = NULL;
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(NULL, service, &hints, &list);
  if (rc != 0) {
    printf(" error %d", rc);
    return;
  }
  printf(" %d", ntohs(((struct sockaddr_in*)list->ai_addr)->sin_port));
  freeaddrinfo(list);
}

static void query_ghbn(const char* name) {
  struct hostent* h = gethostbyname(name);
  if (h == NULL) {
    printf(" error h_errno=%d", h_errno);
    return;
  }
  for (char** a = h->h_addr_list; *a != NULL; ++a) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(h->h_addrtype, *a, text, sizeof text);
    printf(" %s", text);
  }
}

static void query_gni(const char* address) {
  struct sockaddr_in sin = {0};
  sin.sin_family = AF_INET;
  if (inet_pton(AF_INET, address, &sin.sin_addr) != 1) {
    printf(" bad address");
    return;
  }
  char host[NI_MAXHOST];
  int rc = getnameinfo((struct sockaddr*)&sin, sizeof sin, host, sizeof host, NULL, 0, NI_NAMEREQD);
  if (rc != 0)
    printf(" error %d", rc);
  else
    printf(" %s", host);
}

static int find_aresolv(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  (void)data;
  return info->dlpi_name != NULL && strstr(info->dlpi_name, "libaresolv") != NULL;
}

/* getaddrinfo is libaresolv's, or a sanitizer runtime's interceptor (which
   calls the next definition, ours) with libaresolv loaded behind it. */
static int aresolv_in_use(void) {
  Dl_info info;
  void* gai = dlsym(RTLD_DEFAULT, "getaddrinfo");
  if (gai == NULL || dladdr(gai, &info) == 0 || info.dli_fname == NULL) return 0;
  if (strstr(info.dli_fname, "libaresolv") != NULL) return 1;
  return strstr(info.dli_fname, "san.so") != NULL && dl_iterate_phdr(find_aresolv, NULL) != 0;
}

static void whoami(void) {
  int ours = aresolv_in_use();
  printf(" at_secure=%lu ruid=%d euid=%d aresolv=%s", getauxval(AT_SECURE), (int)getuid(),
         (int)geteuid(), ours ? "yes" : "no");
}

static int run(const char* query) {
  const char* colon = strchr(query, ':');
  const char* arg = colon != NULL ? colon + 1 : "";
  size_t kind = colon != NULL ? (size_t)(colon - query) : strlen(query);
  printf("%s", query);
  if (strcmp(query, "whoami") == 0)
    whoami();
  else if (strcmp(query, "now") == 0)
    printf(" %lld", now_ms());
  else if (kind == 4 && strncmp(query, "gai4", 4) == 0)
    query_gai(arg, AF_INET);
  else if (kind == 3 && strncmp(query, "gai", 3) == 0)
    query_gai(arg, AF_UNSPEC);
  else if (kind == 4 && strncmp(query, "port", 4) == 0)
    query_port(arg);
  else if (kind == 4 && strncmp(query, "ghbn", 4) == 0)
    query_ghbn(arg);
  else if (kind == 3 && strncmp(query, "gni", 3) == 0)
    query_gni(arg);
  else if (kind == 4 && strncmp(query, "gaia", 4) == 0)
    query_gaia(arg);
  else if (kind == 3 && strncmp(query, "res", 3) == 0)
    query_res(arg);
  else if (kind == 6 && strncmp(query, "setenv", 6) == 0)
    printf(" %s", putenv(strdup(arg)) == 0 ? "ok" : "failed");
  else if (kind == 8 && strncmp(query, "unsetenv", 8) == 0)
    printf(" %s", unsetenv(arg) == 0 ? "ok" : "failed");
  else {
    printf(" unknown query\n");
    return 2;
  }
  printf("\n");
  fflush(stdout);
  return 0;
}

int main(int argc, char** argv) {
  int first = 1;
  long long loop_ms = -1;
  if (argc > 2 && strcmp(argv[1], "--loop") == 0) {
    loop_ms = atoll(argv[2]);
    first = 3;
  }
  if (loop_ms < 0) {
    for (int i = first; i < argc; ++i)
      if (run(argv[i]) != 0) return 2;
    return 0;
  }
  long long end = now_ms() + loop_ms;
  while (now_ms() < end) {
    for (int i = first; i < argc; ++i) {
      printf("%lld ", now_ms());
      if (run(argv[i]) != 0) return 2;
    }
    usleep(20000);
  }
  return 0;
}
