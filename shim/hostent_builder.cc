// See hostent_builder.h; the steps are those of glibc's nss/getXXbyYY.c.
#include "shim/hostent_builder.h"

#include <errno.h>
#include <stdlib.h>

#include "resolver/hostent_lookup.h"

namespace aresolv {
namespace {

constexpr size_t kInitialBufferSize = 1024;

__thread char *t_buffer;
__thread size_t t_buffer_size;
__thread struct hostent t_result;

bool ensure_buffer() {
  if (t_buffer == nullptr) {
    t_buffer_size = kInitialBufferSize;
    t_buffer = static_cast<char *>(malloc(t_buffer_size));
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
