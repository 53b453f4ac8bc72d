// Thread cancellation is held off while a lookup runs. The library is built
// without exceptions, so a cancellation unwinding through it would run none
// of its destructors: the sockets of the lookup would leak and a cache lock
// held across a read() or poll() would stay locked for every other thread.
// The request stays pending and is acted on at the caller's next
// cancellation point, as musl's resolver does; a lookup is bounded by the
// resolv.conf timeouts anyway.
#pragma once

#include <pthread.h>

namespace aresolv {

class DeferCancellation {
 public:
  DeferCancellation() { pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &previous_); }
  ~DeferCancellation() { pthread_setcancelstate(previous_, nullptr); }
  DeferCancellation(const DeferCancellation&) = delete;
  DeferCancellation& operator=(const DeferCancellation&) = delete;

 private:
  int previous_ = PTHREAD_CANCEL_ENABLE;
};

}  // namespace aresolv
