// See hostent_builder.h; the steps are those of glibc's nss/getXXbyYY.c.
#include "shim/hostent_builder.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "resolver/hostent_lookup.h"

namespace aresolv {
namespace {

constexpr size_t kInitialBufferSize = 1024;

__thread char *t_buffer;
__thread size_t t_buffer_size;
__thread struct hostent t_result;

// A thread's buffer is freed when the thread exits (a key destructor runs in
// the exiting thread, whose TLS is still there): a program that starts many
// short-lived threads calling gethostbyname must not lose a buffer per thread.
pthread_once_t g_buffer_key_once = PTHREAD_ONCE_INIT;
pthread_key_t g_buffer_key;
bool g_buffer_key_created;

void free_thread_buffer(void *) {
  free(t_buffer);
  t_buffer = nullptr;
  t_buffer_size = 0;
}

void create_buffer_key() {
  g_buffer_key_created = pthread_key_create(&g_buffer_key, free_thread_buffer) == 0;
}

bool ensure_buffer() {
  if (t_buffer == nullptr) {
    t_buffer_size = kInitialBufferSize;
    t_buffer = static_cast<char *>(malloc(t_buffer_size));
    // Any non-null value makes the destructor run; it frees t_buffer itself,
    // which grow_buffer may have moved since.
    pthread_once(&g_buffer_key_once, create_buffer_key);
    if (t_buffer != nullptr && g_buffer_key_created) pthread_setspecific(g_buffer_key, t_buffer);
  }
  return t_buffer != nullptr;
}

// Doubles the buffer; on failure frees it, as glibc does, so that the
// process gets a chance to end normally.
bool grow_buffer() {
  t_buffer_size *= 2;
  char *grown = static_cast<char *>(realloc(t_buffer, t_buffer_size));
  if (grown == nullptr) {
    free(t_buffer);
    errno = ENOMEM;
  }
  t_buffer = grown;
  return grown != nullptr;
}

void publish_h_errno(int value) {
  if (value != 0) h_errno = value;
}

}  // namespace

struct hostent *nonreentrant_by_name(const char *name, int af) {
  struct hostent *result = nullptr;
  int h_errno_value = 0;
  if (ensure_buffer() && hostname_digits_dots(name, &t_result, &t_buffer, &t_buffer_size, 0,
                                              &result, nullptr, af, &h_errno_value)) {
    publish_h_errno(h_errno_value);
    return result;
  }
  while (t_buffer != nullptr &&
         hostent_by_name(name, af, &t_result, t_buffer, t_buffer_size, &result, &h_errno_value) ==
             ERANGE &&
         h_errno_value == NETDB_INTERNAL) {
    if (!grow_buffer()) break;
  }
  if (t_buffer == nullptr) result = nullptr;
  publish_h_errno(h_errno_value);
  return result;
}

struct hostent *nonreentrant_by_addr(const void *addr, socklen_t len, int type) {
  struct hostent *result = nullptr;
  int h_errno_value = 0;
  ensure_buffer();
  while (t_buffer != nullptr &&
         hostent_by_addr(addr, len, type, &t_result, t_buffer, t_buffer_size, &result,
                         &h_errno_value) == ERANGE &&
         h_errno_value == NETDB_INTERNAL) {
    if (!grow_buffer()) break;
  }
  if (t_buffer == nullptr) result = nullptr;
  publish_h_errno(h_errno_value);
  return result;
}

}  // namespace aresolv
