// Name lookup for getaddrinfo: numeric literals, then the sources of the
// nsswitch.conf hosts line, combined exactly as glibc's gaih_inet does
// (including its choice of EAI_* code when nothing is found).
#pragma once

#include "resolver/records.h"

namespace aresolv {

struct NameLookup {
  NameResult result;
  // True when the IPv6 lookup of an AF_INET6 + AI_V4MAPPED request found
  // addresses: glibc then drops v4-mapped ones unless AI_ALL is set.
  bool got_ipv6 = false;
};

// `name` is nullptr for a passive/loopback lookup without a node. `family`
// is AF_UNSPEC, AF_INET or AF_INET6 (after AI_ADDRCONFIG narrowed it);
// `flags` are the hints' ai_flags. Returns 0 or an EAI_* code (negative, as in glibc); for
// EAI_SYSTEM, errno is set. The canonical name in the result is set only
// with AI_CANONNAME, as glibc would report it.
int lookup_name(const char* name, int family, int flags, NameLookup* out);

}  // namespace aresolv
