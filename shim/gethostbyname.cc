// gethostbyname, gethostbyname2, gethostbyaddr and their _r forms: thin entry
// points over resolver/hostent_lookup.h, never entering NSS.
#include <netdb.h>

#include "resolver/hostent_lookup.h"
#include "shim/export.h"
#include "shim/hostent_builder.h"

ARESOLV_EXPORT int gethostbyname_r(const char *name, struct hostent *result_buf, char *buf,
                                   size_t buflen, struct hostent **result, int *h_errnop) {
  return aresolv::hostent_by_name(name, AF_INET, result_buf, buf, buflen, result, h_errnop);
}

ARESOLV_EXPORT int gethostbyname2_r(const char *name, int af, struct hostent *result_buf, char *buf,
                                    size_t buflen, struct hostent **result, int *h_errnop) {
  return aresolv::hostent_by_name(name, af, result_buf, buf, buflen, result, h_errnop);
}

ARESOLV_EXPORT int gethostbyaddr_r(const void *addr, socklen_t len, int type,
                                   struct hostent *result_buf, char *buf, size_t buflen,
                                   struct hostent **result, int *h_errnop) {
  return aresolv::hostent_by_addr(addr, len, type, result_buf, buf, buflen, result, h_errnop);
}

ARESOLV_EXPORT struct hostent *gethostbyname(const char *name) {
  return aresolv::nonreentrant_by_name(name, AF_INET);
}

ARESOLV_EXPORT struct hostent *gethostbyname2(const char *name, int af) {
  return aresolv::nonreentrant_by_name(name, af);
}

ARESOLV_EXPORT struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
  return aresolv::nonreentrant_by_addr(addr, len, type);
}
