// getaddrinfo, freeaddrinfo: validate the hints as glibc does, then compose
// the name lookup, the service lookup and the destination ordering of the
// core, and build glibc's list.
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "resolver/answer_memo.h"
#include "resolver/config.h"
#include "resolver/interfaces.h"
#include "resolver/lookup_name.h"
#include "resolver/lookup_service.h"
#include "resolver/recheck.h"
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

int build_list(const Address* addresses, int count, const ServiceResult& services, int flags,
               const char* canonical, struct addrinfo** result) {
  struct addrinfo* list = nullptr;
  int rc = build_addrinfo_list(addresses, count, services, flags, canonical, &list);
  if (rc != 0) return rc;
  if (list == nullptr) return EAI_NONAME;
  *result = list;
  return 0;
}

// A repeated DNS answer comes from memory, as a cached one does.
AnswerSource repeated_source(AnswerSource source) {
  return source == AnswerSource::kDns ? AnswerSource::kDnsCache : source;
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

  const GaiQuestion question = {
      node, service, flags, hints->ai_family, hints->ai_socktype, hints->ai_protocol};
  bool repeatable = answer_memo_applies(flags);
  if (repeatable) {
    if (const RepeatedAnswer* repeated = recall_answer(question)) {
      note_answer_source(repeated->source);
      return build_list(repeated->addresses, repeated->count, repeated->services, flags,
                        repeated->canonical_name(), result);
    }
  }
  // Not before: a repeated answer reaches no cancellation point.
  DeferCancellation defer_cancellation;
  AnswerRepeatWindow window;

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
  rc = build_list(names.addresses, names.count, services, flags, canonical, result);
  if (rc == 0 && repeatable)
    remember_answer(question, names.addresses, names.count, services, canonical,
                    repeated_source(names.source), window.until_ms());
  return rc;
}

LibcFunction libc_getaddrinfo("getaddrinfo");

}  // namespace
}  // namespace aresolv

ARESOLV_EXPORT int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                               struct addrinfo** result) {
  if (auto libc = aresolv::libc_target<decltype(&getaddrinfo)>(
          aresolv::libc_getaddrinfo, aresolv::Forward::kOnKillSwitchOrNss))
    return libc(node, service, hints, result);
  aresolv::LookupProbe probe(aresolv::EntryPoint::kGetaddrinfo, node);
  int saved_errno = errno;
  int rc = aresolv::resolve(node, service, hints, result);
  probe.finish(rc, rc != 0);
  if (rc != EAI_SYSTEM) errno = saved_errno;
  return rc;
}

// Our lists and glibc's have the same layout, so either function frees
// either list: a switch flipped between getaddrinfo and freeaddrinfo does no
// harm, and freeaddrinfo never needs to look at the switches.
ARESOLV_EXPORT void freeaddrinfo(struct addrinfo* list) { aresolv::free_addrinfo_list(list); }
