/* gai_a_lookup NAME...: resolves every NAME with getaddrinfo_a, the names of
   one run together in a single batch, three times: GAI_WAIT; GAI_NOWAIT
   waited for with gai_suspend; GAI_NOWAIT with a SIGEV_THREAD notification.
   Each batch asks three sets of hints per name. Prints every answer in request
   order (gai_error, gai_strerror, then each addrinfo), and gai_suspend /
   gai_cancel on the finished batch, so that two runs can be compared line by
   line. Exit 0 unless the program itself failed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kHintSets = 3 };
static const char* const kHintLabels[kHintSets] = {"unspec,stream,canonname", "inet,dgram,service",
                                                   "inet6,v4mapped|all"};

static void init_hints(int set, struct addrinfo* hints) {
  memset(hints, 0, sizeof *hints);
  switch (set) {
    case 0:
      hints->ai_socktype = SOCK_STREAM;
      hints->ai_flags = AI_CANONNAME;
      break;
    case 1:
      hints->ai_family = AF_INET;
      hints->ai_socktype = SOCK_DGRAM;
      break;
    default:
      hints->ai_family = AF_INET6;
      hints->ai_flags = AI_V4MAPPED | AI_ALL;
      break;
  }
}

static void print_answer(const char* mode, const struct gaicb* cb, int set) {
  int error = gai_error((struct gaicb*)cb);
  printf("%s %s [%s] service=%s: gai_error=%d (%s)\n", mode, cb->ar_name, kHintLabels[set],
         cb->ar_service ? cb->ar_service : "-", error, error == 0 ? "ok" : gai_strerror(error));
  for (const struct addrinfo* ai = cb->ar_result; error == 0 && ai != NULL; ai = ai->ai_next) {
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ai->ai_family == AF_INET) {
      const struct sockaddr_in* sin = (const struct sockaddr_in*)ai->ai_addr;
      inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
      port = ntohs(sin->sin_port);
    } else if (ai->ai_family == AF_INET6) {
      const struct sockaddr_in6* sin6 = (const struct sockaddr_in6*)ai->ai_addr;
      inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
      port = ntohs(sin6->sin6_port);
    }
    printf("  family=%d socktype=%d protocol=%d addrlen=%u canonname=%s %s port %u\n",
           ai->ai_family, ai->ai_socktype, ai->ai_protocol, (unsigned)ai->ai_addrlen,
           ai->ai_canonname ? ai->ai_canonname : "-", host, port);
  }
}

static volatile int notified;
static void on_batch_done(union sigval value) {
  __atomic_store_n(&notified, value.sival_int, __ATOMIC_SEQ_CST);
}

int main(int argc, char** argv) {
  int names = argc - 1;
  if (names < 1) {
    fprintf(stderr, "usage: gai_a_lookup NAME...\n");
    return 2;
  }
  int count = names * kHintSets;
  struct gaicb* cbs = calloc((size_t)count, sizeof *cbs);
  struct gaicb** list = calloc((size_t)count, sizeof *list);
  struct addrinfo* hints = calloc((size_t)count, sizeof *hints);
  if (cbs == NULL || list == NULL || hints == NULL) return 1;
  static const char* const kModes[] = {"wait", "nowait+suspend", "nowait+sigev_thread"};
  for (int mode = 0; mode < 3; ++mode) {
    memset(cbs, 0, (size_t)count * sizeof *cbs);
    for (int i = 0; i < count; ++i) {
      int set = i % kHintSets;
      init_hints(set, &hints[i]);
      cbs[i].ar_name = argv[1 + i / kHintSets];
      cbs[i].ar_service = set == 1 ? "domain" : NULL;
      cbs[i].ar_request = &hints[i];
      list[i] = &cbs[i];
    }
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = on_batch_done;
    sev.sigev_value.sival_int = 7;
    notified = 0;
    int rc = getaddrinfo_a(mode == 0 ? GAI_WAIT : GAI_NOWAIT, list, count, mode == 2 ? &sev : NULL);
    printf("%s: getaddrinfo_a=%d\n", kModes[mode], rc);
    if (mode == 1) {
      // One request at a time: glibc 2.36's gai_suspend with several
      // requests in progress can leave its on-stack waiting-list entry on a
      // request that finishes as it returns (the worker sets __return before
      // it takes the lock), and the worker then writes through it: the
      // reference run would crash now and then.
      for (int i = 0; i < count; ++i) {
        while (gai_error(&cbs[i]) == EAI_INPROGRESS) {
          const struct gaicb* one[1] = {&cbs[i]};
          struct timespec timeout = {30, 0};
          int s = gai_suspend(one, 1, &timeout);
          if (s != 0 && s != EAI_ALLDONE && s != EAI_INTR) {
            printf("%s: gai_suspend=%d\n", kModes[mode], s);
            break;
          }
        }
      }
    } else if (mode == 2) {
      for (int waited = 0; waited < 3000 && __atomic_load_n(&notified, __ATOMIC_SEQ_CST) == 0;
           ++waited)
        usleep(10000);
      printf("%s: notified with %d\n", kModes[mode], __atomic_load_n(&notified, __ATOMIC_SEQ_CST));
    }
    for (int i = 0; i < count; ++i) print_answer(kModes[mode], &cbs[i], i % kHintSets);
    printf("%s: gai_suspend(all done)=%d gai_cancel(done)=%d\n", kModes[mode],
           gai_suspend((const struct gaicb* const*)list, count, NULL), gai_cancel(&cbs[0]));
    for (int i = 0; i < count; ++i)
      if (cbs[i].ar_result != NULL) freeaddrinfo(cbs[i].ar_result);
  }
  free(hints);
  free(list);
  free(cbs);
  return 0;
}
