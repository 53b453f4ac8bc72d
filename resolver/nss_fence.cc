// The static c-ares brings objects we link for one helper each (its
// ares_getnameinfo.o, for instance, carries a function ares_create_query
// needs) and with them references to libc's service lookups, which run NSS.
// We never call those c-ares paths; the link wraps the names (--wrap, see
// CMakeLists.txt) onto these stand-ins, so that the library imports nothing
// that could enter NSS even by accident: they answer "not found".
#include <errno.h>
#include <netdb.h>

extern "C" {

int __wrap_getservbyport_r(int, const char*, struct servent*, char*, size_t,
                           struct servent** result) {
  *result = nullptr;
  return ENOENT;
}

int __wrap_getservbyname_r(const char*, const char*, struct servent*, char*, size_t,
                           struct servent** result) {
  *result = nullptr;
  return ENOENT;
}

struct servent* __wrap_getservbyname(const char*, const char*) {
  return nullptr;
}

struct servent* __wrap_getservbyport(int, const char*) {
  return nullptr;
}

}  // extern "C"
