// getnameinfo: the entry point over resolver/nameinfo.h, never entering NSS
// (neither gethostbyaddr_r's sources nor getservbyport_r).
#include <netdb.h>

#include "resolver/nameinfo.h"
#include "resolver/stats.h"
#include "shim/defer_cancellation.h"
#include "shim/export.h"
#include "shim/passthrough.h"

namespace {
aresolv::LibcFunction libc_getnameinfo("getnameinfo");
}  // namespace

ARESOLV_EXPORT int getnameinfo(const struct sockaddr *address, socklen_t address_length, char *host,
                               socklen_t host_length, char *service, socklen_t service_length,
                               int flags) {
  if (auto libc = aresolv::libc_target<decltype(&getnameinfo)>(
          libc_getnameinfo, aresolv::Forward::kOnKillSwitchOrNss))
    return libc(address, address_length, host, host_length, service, service_length, flags);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGetnameinfo, nullptr);
  int rc = aresolv::name_info(address, address_length, host, host_length, service, service_length,
                              flags);
  probe.finish(rc, rc != 0);
  return rc;
}
