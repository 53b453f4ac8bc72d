/* Runs a sequence of resolver calls in one process, for the cache's
 * end-to-end test (run_cache_e2e.sh): each argument is one step.
 *   gai:NAME    getaddrinfo(NAME, AF_UNSPEC, SOCK_STREAM, AI_CANONNAME)
 *   ghbn:NAME   gethostbyname(NAME)
 *   res:NAME    res_query(NAME, C_IN, T_A)
 *   search:NAME res_search(NAME, C_IN, T_A)
 *   touch:PATH  appends a comment line to PATH (a changed resolv.conf)
 *   addhost:NAME appends "192.0.2.99 NAME" to /etc/hosts
 *   sleep:MS    sleeps
 * Prints one line per lookup with everything it returned except TTLs and
 * IDs, so that runs can be compared. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void gai(const char *name) {
  struct addrinfo hints, *res = NULL, *ai;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  int rc = getaddrinfo(name, NULL, &hints, &res);
  printf("gai %s rc=%d", name, rc);
  for (ai = res; ai; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN];
    const void *addr = ai->ai_family == AF_INET
                           ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                           : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
    inet_ntop(ai->ai_family, addr, text, sizeof text);
    printf(" %s", text);
    if (ai->ai_canonname) printf(" canon=%s", ai->ai_canonname);
  }
  printf("\n");
  if (res) freeaddrinfo(res);
}

static void ghbn(const char *name) {
  struct hostent *h = gethostbyname(name);
  printf("ghbn %s h_errno=%d", name, h ? 0 : h_errno);
  if (h) {
    printf(" name=%s", h->h_name);
    for (char **a = h->h_aliases; *a; ++a) printf(" alias=%s", *a);
    for (char **a = h->h_addr_list; *a; ++a) {
      char text[INET6_ADDRSTRLEN];
      inet_ntop(h->h_addrtype, *a, text, sizeof text);
      printf(" %s", text);
    }
  }
  printf("\n");
}

static void query(const char *name, int search) {
  unsigned char answer[4096];
  h_errno = 0;
  int n = search ? res_search(name, ns_c_in, ns_t_a, answer, sizeof answer)
                 : res_query(name, ns_c_in, ns_t_a, answer, sizeof answer);
  printf("%s %s n=%d h_errno=%d", search ? "search" : "res", name, n, n < 0 ? h_errno : 0);
  if (n >= 12) {
    ns_msg msg;
    if (ns_initparse(answer, n, &msg) == 0) {
      printf(" rcode=%d an=%d", ns_msg_getflag(msg, ns_f_rcode), ns_msg_count(msg, ns_s_an));
      for (int i = 0; i < ns_msg_count(msg, ns_s_an); ++i) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) == 0 && ns_rr_type(rr) == ns_t_a) {
          char text[INET_ADDRSTRLEN];
          inet_ntop(AF_INET, ns_rr_rdata(rr), text, sizeof text);
          printf(" %s %s", ns_rr_name(rr), text);
        }
      }
    }
  }
  printf("\n");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; ++i) {
    const char *step = argv[i];
    const char *arg = strchr(step, ':');
    if (!arg) {
      fprintf(stderr, "bad step %s\n", step);
      return 2;
    }
    ++arg;
    if (strncmp(step, "gai:", 4) == 0) {
      gai(arg);
    } else if (strncmp(step, "ghbn:", 5) == 0) {
      ghbn(arg);
    } else if (strncmp(step, "res:", 4) == 0) {
      query(arg, 0);
    } else if (strncmp(step, "search:", 7) == 0) {
      query(arg, 1);
    } else if (strncmp(step, "touch:", 6) == 0) {
      FILE *f = fopen(arg, "a");
      if (!f || fputs("# changed\n", f) < 0 || fclose(f) != 0) {
        perror(arg);
        return 2;
      }
    } else if (strncmp(step, "addhost:", 8) == 0) {
      FILE *f = fopen("/etc/hosts", "a");
      if (!f || fprintf(f, "192.0.2.99 %s\n", arg) < 0 || fclose(f) != 0) {
        perror("/etc/hosts");
        return 2;
      }
    } else if (strncmp(step, "sleep:", 6) == 0) {
      long ms = atol(arg);
      struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    } else {
      fprintf(stderr, "bad step %s\n", step);
      return 2;
    }
  }
  return 0;
}
