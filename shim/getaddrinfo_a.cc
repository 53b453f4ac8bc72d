// getaddrinfo_a, gai_suspend, gai_error and gai_cancel over our getaddrinfo
// (glibc's call its internal getaddrinfo and would never reach ours). One
// detached thread per request, as the program asked for asynchronous work;
// a request is cancelable until its thread starts it. Waiters sleep on a
// futex bumped at every completion, so that a signal interrupts gai_suspend
// (EAI_INTR) as it does in glibc.
#include <errno.h>
#include <linux/futex.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include "shim/export.h"
#include "shim/passthrough.h"

namespace {

struct Batch {
  int remaining;  // under g_mutex
  struct sigevent sig;
  pid_t caller_pid;
};

enum class RequestState { kQueued, kRunning };

struct Request {
  struct gaicb* cb;
  Batch* batch;  // nullptr for GAI_WAIT (the caller waits itself)
  RequestState state;
  Request* next;
};

using aresolv::Forward;
using aresolv::libc_target;
using aresolv::LibcFunction;

// libc's own, for the kill switch (in libanl before glibc 2.34). Requests
// started there stay libc's: gai_cancel and gai_suspend send requests we do
// not know to libc, whatever the switch says by then.
LibcFunction libc_getaddrinfo_a("getaddrinfo_a");
LibcFunction libc_gai_error("gai_error");
LibcFunction libc_gai_cancel("gai_cancel");
LibcFunction libc_gai_suspend("gai_suspend");

pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
Request* g_requests = nullptr;  // queued and running, under g_mutex
std::atomic<int> g_completions{0};
pthread_once_t g_atfork_once = PTHREAD_ONCE_INIT;

// The child of fork() has none of the request threads: the lock one of them
// may have held is made free, and their requests (the parent's, possibly
// half-unlinked) are forgotten.
void forget_requests_in_child() {
  g_mutex = PTHREAD_MUTEX_INITIALIZER;
  g_requests = nullptr;
}
void register_atfork() { pthread_atfork(nullptr, nullptr, forget_requests_in_child); }

void unlink_request(Request* request) {
  for (Request** p = &g_requests; *p != nullptr; p = &(*p)->next) {
    if (*p == request) {
      *p = request->next;
      return;
    }
  }
}

Request* find_request(const struct gaicb* cb) {
  for (Request* r = g_requests; r != nullptr; r = r->next)
    if (r->cb == cb) return r;
  return nullptr;
}

void wake_waiters() {
  g_completions.fetch_add(1, std::memory_order_release);
  syscall(SYS_futex, reinterpret_cast<int*>(&g_completions), FUTEX_WAKE_PRIVATE, INT32_MAX, nullptr,
          nullptr, 0);
}

// Sleeps until the completion count moves from `seen`; returns 0, or
// ETIMEDOUT / EINTR.
int wait_for_completion(int seen, const struct timespec* deadline) {
  struct timespec relative;
  struct timespec* timeout = nullptr;
  if (deadline != nullptr) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    relative.tv_sec = deadline->tv_sec - now.tv_sec;
    relative.tv_nsec = deadline->tv_nsec - now.tv_nsec;
    if (relative.tv_nsec < 0) {
      relative.tv_nsec += 1000000000;
      --relative.tv_sec;
    }
    if (relative.tv_sec < 0) return ETIMEDOUT;
    timeout = &relative;
  }
  long rc = syscall(SYS_futex, reinterpret_cast<int*>(&g_completions), FUTEX_WAIT_PRIVATE, seen,
                    timeout, nullptr, 0);
  if (rc < 0 && (errno == ETIMEDOUT || errno == EINTR)) return errno;
  return 0;
}

struct NotifyCall {
  void (*function)(union sigval);
  union sigval value;
};

void* run_notify(void* arg) {
  NotifyCall call = *static_cast<NotifyCall*>(arg);
  free(arg);
  call.function(call.value);
  return nullptr;
}

// glibc's __gai_notify_only.
void notify(const struct sigevent& sig, pid_t caller_pid) {
  if (sig.sigev_notify == SIGEV_THREAD) {
    auto* call = static_cast<NotifyCall*>(malloc(sizeof(NotifyCall)));
    if (call == nullptr) return;
    call->function = sig.sigev_notify_function;
    call->value = sig.sigev_value;
    pthread_attr_t attr;
    pthread_attr_t* attrp = static_cast<pthread_attr_t*>(sig.sigev_notify_attributes);
    if (attrp == nullptr) {
      pthread_attr_init(&attr);
      pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
      attrp = &attr;
    }
    pthread_t thread;
    if (pthread_create(&thread, attrp, run_notify, call) != 0) free(call);
    if (attrp == &attr) pthread_attr_destroy(&attr);
  } else if (sig.sigev_notify == SIGEV_SIGNAL) {
    sigqueue(caller_pid, sig.sigev_signo, sig.sigev_value);
  }
}

// A batch's last request (finished or canceled) sends its notification.
void finish_in_batch(Batch* batch, bool* notify_now) {
  *notify_now = batch != nullptr && --batch->remaining == 0;
}

void* run_request(void* arg) {
  auto* request = static_cast<Request*>(arg);
  pthread_mutex_lock(&g_mutex);
  struct gaicb* cb = request->cb;
  if (cb == nullptr) {  // canceled before it started
    bool notify_now = false;
    Batch* batch = request->batch;
    finish_in_batch(batch, &notify_now);
    pthread_mutex_unlock(&g_mutex);
    free(request);
    if (notify_now) {
      notify(batch->sig, batch->caller_pid);
      free(batch);
    }
    return nullptr;
  }
  request->state = RequestState::kRunning;
  pthread_mutex_unlock(&g_mutex);

  struct addrinfo* result = nullptr;
  int rc = getaddrinfo(cb->ar_name, cb->ar_service, cb->ar_request, &result);

  pthread_mutex_lock(&g_mutex);
  cb->ar_result = rc == 0 ? result : nullptr;
  cb->__return = rc;
  unlink_request(request);
  bool notify_now = false;
  Batch* batch = request->batch;
  finish_in_batch(batch, &notify_now);
  pthread_mutex_unlock(&g_mutex);
  free(request);
  wake_waiters();
  if (notify_now) {
    notify(batch->sig, batch->caller_pid);
    free(batch);
  }
  return nullptr;
}

}  // namespace

ARESOLV_EXPORT int getaddrinfo_a(int mode, struct gaicb* list[], int ent, struct sigevent* sig) {
  if (auto libc = libc_target<decltype(&getaddrinfo_a)>(libc_getaddrinfo_a, Forward::kOnKillSwitch))
    return libc(mode, list, ent, sig);
  pthread_once(&g_atfork_once, register_atfork);
  if (mode != GAI_WAIT && mode != GAI_NOWAIT) {
    errno = EINVAL;
    return EAI_SYSTEM;
  }
  struct sigevent no_notification;
  if (sig == nullptr) {
    no_notification.sigev_notify = SIGEV_NONE;
    sig = &no_notification;
  }
  Batch* batch = nullptr;
  if (mode == GAI_NOWAIT) {
    batch = static_cast<Batch*>(malloc(sizeof(Batch)));
    if (batch == nullptr) return EAI_AGAIN;
    batch->remaining = 1;  // held until every request is started
    batch->sig = *sig;
    batch->caller_pid = sig->sigev_notify == SIGEV_SIGNAL ? getpid() : 0;
  }
  int result = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (int i = 0; i < ent; ++i) {
    struct gaicb* cb = list[i];
    if (cb == nullptr) continue;
    auto* request = static_cast<Request*>(malloc(sizeof(Request)));
    if (request == nullptr) {
      cb->__return = EAI_MEMORY;
      errno = ENOMEM;
      result = EAI_SYSTEM;
      continue;
    }
    request->cb = cb;
    request->batch = batch;
    request->state = RequestState::kQueued;
    pthread_mutex_lock(&g_mutex);
    cb->__return = EAI_INPROGRESS;
    cb->ar_result = nullptr;
    request->next = g_requests;
    g_requests = request;
    if (batch != nullptr) ++batch->remaining;
    pthread_t thread;
    int err = pthread_create(&thread, &attr, run_request, request);
    if (err != 0) {
      unlink_request(request);
      if (batch != nullptr) --batch->remaining;
      cb->__return = EAI_SYSTEM;
      free(request);
      errno = err;
      result = EAI_SYSTEM;
    }
    pthread_mutex_unlock(&g_mutex);
  }
  pthread_attr_destroy(&attr);

  if (mode == GAI_WAIT) {
    for (;;) {
      int seen = g_completions.load(std::memory_order_acquire);
      bool running = false;
      pthread_mutex_lock(&g_mutex);
      for (int i = 0; i < ent && !running; ++i)
        if (list[i] != nullptr && find_request(list[i]) != nullptr) running = true;
      pthread_mutex_unlock(&g_mutex);
      if (!running) break;
      wait_for_completion(seen, nullptr);
    }
    return result;
  }

  pthread_mutex_lock(&g_mutex);
  bool notify_now = --batch->remaining == 0;
  pthread_mutex_unlock(&g_mutex);
  if (notify_now) {  // nothing was started, or everything already finished
    notify(batch->sig, batch->caller_pid);
    free(batch);
  }
  return result;
}

ARESOLV_EXPORT int gai_error(struct gaicb* req) {
  if (auto libc = libc_target<decltype(&gai_error)>(libc_gai_error, Forward::kOnKillSwitch))
    return libc(req);
  return req->__return;
}

ARESOLV_EXPORT int gai_cancel(struct gaicb* req) {
  pthread_once(&g_atfork_once, register_atfork);
  pthread_mutex_lock(&g_mutex);
  Request* request = find_request(req);
  if (request == nullptr) {
    pthread_mutex_unlock(&g_mutex);
    // Not ours: libc's, if the kill switch was on when it started (glibc
    // answers EAI_ALLDONE for requests it does not know either).
    if (auto libc = reinterpret_cast<decltype(&gai_cancel)>(libc_gai_cancel.address()))
      return libc(req);
    return EAI_ALLDONE;
  }
  if (request->state == RequestState::kRunning) {
    pthread_mutex_unlock(&g_mutex);
    return EAI_NOTCANCELED;
  }
  // Its thread has not started it: it will find the request gone.
  unlink_request(request);
  request->cb = nullptr;
  req->__return = EAI_CANCELED;
  pthread_mutex_unlock(&g_mutex);
  wake_waiters();
  return EAI_CANCELED;
}

ARESOLV_EXPORT int gai_suspend(const struct gaicb* const list[], int ent,
                               const struct timespec* timeout) {
  pthread_once(&g_atfork_once, register_atfork);
  struct timespec deadline;
  if (timeout != nullptr) {
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout->tv_sec;
    deadline.tv_nsec += timeout->tv_nsec;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_nsec -= 1000000000;
      ++deadline.tv_sec;
    }
  }
  bool first = true;
  int waited_on = 0;
  for (;;) {
    int seen = g_completions.load(std::memory_order_acquire);
    int in_progress = 0;
    int foreign_in_progress = 0;  // libc's, started while the kill switch was on
    pthread_mutex_lock(&g_mutex);
    for (int i = 0; i < ent; ++i) {
      if (list[i] == nullptr || list[i]->__return != EAI_INPROGRESS) continue;
      if (find_request(list[i]) != nullptr)
        ++in_progress;
      else
        ++foreign_in_progress;
    }
    pthread_mutex_unlock(&g_mutex);
    if (first && in_progress == 0 && foreign_in_progress > 0) {
      if (auto libc = reinterpret_cast<decltype(&gai_suspend)>(libc_gai_suspend.address()))
        return libc(list, ent, timeout);
    }
    // glibc: nothing in progress at the call is EAI_ALLDONE; once waiting,
    // any completion among them ends the wait.
    if (in_progress == 0) return first ? EAI_ALLDONE : 0;
    if (!first && in_progress < waited_on) return 0;
    if (first) waited_on = in_progress;
    first = false;
    int rc = wait_for_completion(seen, timeout != nullptr ? &deadline : nullptr);
    if (rc == ETIMEDOUT) return EAI_AGAIN;
    if (rc == EINTR) return EAI_INTR;
  }
}
