// getaddrinfo, freeaddrinfo: validate the hints as glibc does, then compose
// the name lookup, the service lookup and the destination ordering of the
// core, and build glibc's list.
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "resolver/config.h"
#include "resolver/interfaces.h"
#include "resolver/lookup_name.h"
#include "resolver/lookup_service.h"
#include "resolver/sort.h"
#include "resolver/stats.h"
#include "shim/addrinfo_builder.h"
#include "shim/defer_cancellation.h"
#include "shim/export.h"
#include "shim/passthrough.h"

namespace aresolv {
namespace {

constexpr int kKnownFlags = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_ADDRCONFIG |
                            AI_V4MAPPED | AI_IDN | AI_CANONIDN | AI_NUMERICSERV | AI_ALL |
                            0x0100 /* glibc's deprecated AI_IDN_ALLOW_UNASSIGNED */ |
                            0x0200 /* and AI_IDN_USE_STD3_ASCII_RULES */;

bool is_v4mapped(const Address& a) {
  return a.family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(reinterpret_cast<const in6_addr*>(a.bytes));
}

int resolve(const char* node, const char* service, const struct addrinfo* hints,
            struct addrinfo** result) {
  static const struct addrinfo kDefaultHints = {
      AI_V4MAPPED | AI_ADDRCONFIG, AF_UNSPEC, 0, 0, 0, nullptr, nullptr, nullptr};
  if (node != nullptr && node[0] == '*' && node[1] == '\0') node = nullptr;
  if (service != nullptr && service[0] == '*' && service[1] == '\0') service = nullptr;
  if (node == nullptr && service == nullptr) return EAI_NONAME;
  if (hints == nullptr) hints = &kDefaultHints;

  int flags = hints->ai_flags;
  if (flags & ~kKnownFlags) return EAI_BADFLAGS;
  if ((flags & AI_CANONNAME) && node == nullptr) return EAI_BADFLAGS;
  int family = hints->ai_family;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;

  // glibc asks the kernel on every AI_ADDRCONFIG call and reuses the answer
  // for the destination ordering.
  LocalAddresses local;
  bool have_local = false;
  if (flags & AI_ADDRCONFIG) {
    query_local_addresses(&local);
    have_local = true;
    family = addrconfig_family(family, local.seen_ipv4, local.seen_ipv6);
    if (family < 0) return EAI_NONAME;
  }

  const Settings& config = settings();
  ServiceResult services;
  int rc = lookup_service(service != nullptr && service[0] ? service : nullptr, hints->ai_socktype,
                          hints->ai_protocol, flags, config.services_path, &services);
  if (rc != 0) return rc;

  NameLookup lookup;
  rc = lookup_name(node, family, flags, &lookup);
  if (rc != 0) return rc;
  if (lookup.result.out_of_memory) return EAI_MEMORY;

  // With AI_V4MAPPED but not AI_ALL, mapped addresses only stand in for
  // missing IPv6 ones.
  NameResult& names = lookup.result;
  if (lookup.got_ipv6 && (flags & (AI_V4MAPPED | AI_ALL)) == AI_V4MAPPED) {
    int kept = 0;
    for (int i = 0; i < names.count; ++i)
      if (!is_v4mapped(names.addresses[i])) names.addresses[kept++] = names.addresses[i];
    names.count = kept;
  }
  if (names.count > 1 && !sort_destinations(names.addresses, names.count, config.gai_conf_path,
                                            services.tuples[0].port, have_local ? &local : nullptr))
    return EAI_MEMORY;

  const char* canonical =
      (flags & AI_CANONNAME) && names.canonical_name[0] ? names.canonical_name : nullptr;
  struct addrinfo* list = nullptr;
  rc = build_addrinfo_list(names.addresses, names.count, services, flags, canonical, &list);
  if (rc != 0) return rc;
  if (list == nullptr) return EAI_NONAME;
  *result = list;
  return 0;
}

LibcFunction libc_getaddrinfo("getaddrinfo");
LibcFunction libc_freeaddrinfo("freeaddrinfo");

}  // namespace
}  // namespace aresolv

ARESOLV_EXPORT int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                               struct addrinfo** result) {
  if (auto libc = aresolv::libc_target<decltype(&getaddrinfo)>(
          aresolv::libc_getaddrinfo, aresolv::Forward::kOnKillSwitchOrNss))
    return libc(node, service, hints, result);
  aresolv::DeferCancellation defer_cancellation;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGetaddrinfo, node);
  int saved_errno = errno;
  int rc = aresolv::resolve(node, service, hints, result);
  probe.finish(rc, rc != 0);
  if (rc != EAI_SYSTEM) errno = saved_errno;
  return rc;
}

// Our lists and glibc's have the same layout, so either function frees
// either list: a switch flipped between the two calls does no harm.
ARESOLV_EXPORT void freeaddrinfo(struct addrinfo* list) {
  if (auto libc = aresolv::libc_target<decltype(&freeaddrinfo)>(aresolv::libc_freeaddrinfo,
                                                                aresolv::Forward::kOnKillSwitch))
    return libc(list);
  aresolv::free_addrinfo_list(list);
}
