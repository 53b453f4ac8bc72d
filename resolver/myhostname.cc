#include "resolver/myhostname.h"

#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "resolver/base.h"
#include "resolver/recheck.h"

namespace aresolv {
namespace {

bool ends_with_ignoring_case(const char* name, size_t length, const char* suffix) {
  size_t n = strlen(suffix);
  return length >= n && strncasecmp(name + length - n, suffix, n) == 0;
}

// systemd's is_localhost(): localhost, localhost.localdomain and *.localhost,
// each with or without a final dot.
bool is_localhost(const char* name) {
  size_t length = strlen(name);
  if (length > 0 && name[length - 1] == '.') --length;
  if (length == 9 && strncasecmp(name, "localhost", 9) == 0) return true;
  if (length == 21 && strncasecmp(name, "localhost.localdomain", 21) == 0) return true;
  return ends_with_ignoring_case(name, length, ".localhost") ||
         ends_with_ignoring_case(name, length, ".localhost.localdomain");
}

Address loopback(int family, uint8_t last_v4_octet) {
  Address a = {};
  a.family = family;
  if (family == AF_INET) {
    a.bytes[0] = 127;
    a.bytes[3] = last_v4_octet;
  } else {
    a.bytes[15] = 1;
  }
  return a;
}

bool wants(int requested, int family) { return requested == AF_UNSPEC || requested == family; }

// Non-loopback interface addresses, IPv4 before IPv6 as systemd orders them.
void add_interface_addresses(int family, NameResult* out) {
  struct ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return;
  for (int pass_family : {AF_INET, AF_INET6}) {
    if (!wants(family, pass_family)) continue;
    for (struct ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
      if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != pass_family) continue;
      if (i->ifa_flags & IFF_LOOPBACK) continue;
      Address a = {};
      a.family = pass_family;
      if (pass_family == AF_INET) {
        memcpy(a.bytes, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, 4);
      } else {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
        memcpy(a.bytes, &sin6->sin6_addr, 16);
        a.scope_id = sin6->sin6_scope_id;
      }
      out->add(a);
    }
  }
  freeifaddrs(list);
}

}  // namespace

Status myhostname_lookup(const char* name, int family, NameResult* out) {
  out->count = 0;
  if (is_localhost(name)) {
    if (wants(family, AF_INET6)) out->add(loopback(AF_INET6, 0));
    if (wants(family, AF_INET)) out->add(loopback(AF_INET, 1));
    copy_string(out->canonical_name, sizeof out->canonical_name, "localhost");
    return Status::kSuccess;
  }
  // The host name and the interface addresses are asked on every call, as
  // nss-myhostname does: an answer from them is not repeated.
  limit_answer_repeat(coarse_monotonic_ms());
  char hostname[HOST_NAME_MAX + 1];
  if (gethostname(hostname, sizeof hostname) != 0) return Status::kNotFound;
  hostname[HOST_NAME_MAX] = '\0';
  size_t length = strlen(name);
  if (length > 0 && name[length - 1] == '.') --length;
  if (length != strlen(hostname) || strncasecmp(name, hostname, length) != 0)
    return Status::kNotFound;

  add_interface_addresses(family, out);
  if (out->count == 0) {
    if (wants(family, AF_INET)) out->add(loopback(AF_INET, 2));
    if (wants(family, AF_INET6)) out->add(loopback(AF_INET6, 0));
  }
  copy_string(out->canonical_name, sizeof out->canonical_name, hostname);
  return Status::kSuccess;
}

}  // namespace aresolv
