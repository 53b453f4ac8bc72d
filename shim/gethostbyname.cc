// gethostbyname, gethostbyname2, gethostbyaddr and their _r forms: thin entry
// points over resolver/hostent_lookup.h, never entering NSS.
#include <netdb.h>

#include "resolver/hostent_lookup.h"
#include "resolver/stats.h"
#include "shim/defer_cancellation.h"
#include "shim/export.h"
#include "shim/hostent_builder.h"
#include "shim/passthrough.h"

namespace {

using aresolv::Forward;
using aresolv::libc_target;
using aresolv::LibcFunction;

LibcFunction libc_gethostbyname_r("gethostbyname_r");
LibcFunction libc_gethostbyname2_r("gethostbyname2_r");
LibcFunction libc_gethostbyaddr_r("gethostbyaddr_r");
LibcFunction libc_gethostbyname("gethostbyname");
LibcFunction libc_gethostbyname2("gethostbyname2");
LibcFunction libc_gethostbyaddr("gethostbyaddr");

}  // namespace

ARESOLV_EXPORT int gethostbyname_r(const char *name, struct hostent *result_buf, char *buf,
                                   size_t buflen, struct hostent **result, int *h_errnop) {
  if (auto libc = libc_target<decltype(&gethostbyname_r)>(libc_gethostbyname_r,
                                                          Forward::kOnKillSwitchOrNss))
    return libc(name, result_buf, buf, buflen, result, h_errnop);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyname, name);
  int rc = aresolv::hostent_by_name(name, AF_INET, result_buf, buf, buflen, result, h_errnop);
  probe.finish(rc, rc != 0 || *result == nullptr);
  return rc;
}

ARESOLV_EXPORT int gethostbyname2_r(const char *name, int af, struct hostent *result_buf, char *buf,
                                    size_t buflen, struct hostent **result, int *h_errnop) {
  if (auto libc = libc_target<decltype(&gethostbyname2_r)>(libc_gethostbyname2_r,
                                                           Forward::kOnKillSwitchOrNss))
    return libc(name, af, result_buf, buf, buflen, result, h_errnop);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyname, name);
  int rc = aresolv::hostent_by_name(name, af, result_buf, buf, buflen, result, h_errnop);
  probe.finish(rc, rc != 0 || *result == nullptr);
  return rc;
}

ARESOLV_EXPORT int gethostbyaddr_r(const void *addr, socklen_t len, int type,
                                   struct hostent *result_buf, char *buf, size_t buflen,
                                   struct hostent **result, int *h_errnop) {
  if (auto libc = libc_target<decltype(&gethostbyaddr_r)>(libc_gethostbyaddr_r,
                                                          Forward::kOnKillSwitchOrNss))
    return libc(addr, len, type, result_buf, buf, buflen, result, h_errnop);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyaddr, nullptr);
  int rc = aresolv::hostent_by_addr(addr, len, type, result_buf, buf, buflen, result, h_errnop);
  probe.finish(rc, rc != 0 || *result == nullptr);
  return rc;
}

ARESOLV_EXPORT struct hostent *gethostbyname(const char *name) {
  if (auto libc =
          libc_target<decltype(&gethostbyname)>(libc_gethostbyname, Forward::kOnKillSwitchOrNss))
    return libc(name);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyname, name);
  struct hostent *found = aresolv::nonreentrant_by_name(name, AF_INET);
  probe.finish(found != nullptr ? 0 : h_errno, found == nullptr);
  return found;
}

ARESOLV_EXPORT struct hostent *gethostbyname2(const char *name, int af) {
  if (auto libc =
          libc_target<decltype(&gethostbyname2)>(libc_gethostbyname2, Forward::kOnKillSwitchOrNss))
    return libc(name, af);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyname, name);
  struct hostent *found = aresolv::nonreentrant_by_name(name, af);
  probe.finish(found != nullptr ? 0 : h_errno, found == nullptr);
  return found;
}

ARESOLV_EXPORT struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
  if (auto libc =
          libc_target<decltype(&gethostbyaddr)>(libc_gethostbyaddr, Forward::kOnKillSwitchOrNss))
    return libc(addr, len, type);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGethostbyaddr, nullptr);
  struct hostent *found = aresolv::nonreentrant_by_addr(addr, len, type);
  probe.finish(found != nullptr ? 0 : h_errno, found == nullptr);
  return found;
}
