/* getaddrinfo_a (GAI_WAIT, GAI_NOWAIT + gai_suspend, SIGEV_THREAD) must give
   exactly what plain getaddrinfo gives for the same questions. Prints
   "getaddrinfo_a: N of N identical"; exit 0 when all are. */
#define _GNU_SOURCE
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static const char *const kNames[] = {"a4.test",        "a6.test",   "dual.test",    "cname4.test",
                                     "missing.test",   "localhost", "filehost",     "intra",
                                     "multidual.test", "big4.test", "txtonly.test", "127.0.0.1"};
#define COUNT (sizeof kNames / sizeof kNames[0])

static void render(int rc, const struct addrinfo *ai, char *out, size_t size) {
  size_t used = (size_t)snprintf(out, size, "rc=%d", rc);
  for (; ai != NULL && used < size; ai = ai->ai_next) {
    used +=
        (size_t)snprintf(out + used, size - used, " [%d %d %d %s ", ai->ai_family, ai->ai_socktype,
                         ai->ai_protocol, ai->ai_canonname ? ai->ai_canonname : "-");
    for (socklen_t i = 0; i < ai->ai_addrlen && used < size; ++i)
      used += (size_t)snprintf(out + used, size - used, "%02x", ((unsigned char *)ai->ai_addr)[i]);
    if (used < size) used += (size_t)snprintf(out + used, size - used, "]");
  }
}

static volatile int notified;
static void on_done(union sigval value) {
  __atomic_store_n(&notified, value.sival_int, __ATOMIC_SEQ_CST);
}

int main(void) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = AI_CANONNAME;
  hints.ai_socktype = SOCK_STREAM;
  static char expected[COUNT][8192], got[8192];
  for (size_t i = 0; i < COUNT; ++i) {
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(kNames[i], "80", &hints, &res);
    render(rc, res, expected[i], sizeof expected[i]);
    if (rc == 0) freeaddrinfo(res);
  }
  int same = 0, total = 0;
  for (int mode = 0; mode < 3; ++mode) {
    struct gaicb cbs[COUNT], *list[COUNT];
    memset(cbs, 0, sizeof cbs);
    for (size_t i = 0; i < COUNT; ++i) {
      cbs[i].ar_name = kNames[i];
      cbs[i].ar_service = "80";
      cbs[i].ar_request = &hints;
      list[i] = &cbs[i];
    }
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = on_done;
    sev.sigev_value.sival_int = 42;
    notified = 0;
    int rc =
        getaddrinfo_a(mode == 0 ? GAI_WAIT : GAI_NOWAIT, list, (int)COUNT, mode == 2 ? &sev : NULL);
    if (rc != 0) printf("mode %d: getaddrinfo_a=%d\n", mode, rc);
    if (mode != 0) {
      for (;;) {
        int pending = 0;
        for (size_t i = 0; i < COUNT; ++i)
          if (gai_error(&cbs[i]) == EAI_INPROGRESS) ++pending;
        if (pending == 0) break;
        struct timespec ts = {10, 0};
        int s = gai_suspend((const struct gaicb *const *)list, (int)COUNT, &ts);
        if (s != 0 && s != EAI_ALLDONE) printf("mode %d: gai_suspend=%d\n", mode, s);
      }
      printf("mode %d: gai_suspend after all done=%d gai_cancel=%d\n", mode,
             gai_suspend((const struct gaicb *const *)list, (int)COUNT, NULL), gai_cancel(&cbs[0]));
    }
    if (mode == 2) {
      for (int w = 0; w < 200 && __atomic_load_n(&notified, __ATOMIC_SEQ_CST) == 0; ++w) {
        struct timespec ms = {0, 10000000};
        nanosleep(&ms, NULL);
      }
      printf("mode 2: SIGEV_THREAD notified=%d\n", notified);
    }
    for (size_t i = 0; i < COUNT; ++i) {
      render(gai_error(&cbs[i]), cbs[i].ar_result, got, sizeof got);
      ++total;
      if (strcmp(got, expected[i]) == 0)
        ++same;
      else
        printf("mode %d %s:\n  getaddrinfo   %s\n  getaddrinfo_a %s\n", mode, kNames[i],
               expected[i], got);
      if (cbs[i].ar_result) freeaddrinfo(cbs[i].ar_result);
    }
  }
  printf("getaddrinfo_a: %d of %d identical\n", same, total);
  return same == total ? 0 : 1;
}
