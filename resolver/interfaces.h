// The interface addresses getaddrinfo consults, as glibc's __check_pf
// (sysdeps/unix/sysv/linux/check_pf.c) reports them: whether any non-loopback
// IPv4/IPv6 address exists (for AI_ADDRCONFIG) and, for the RFC 3484 sort,
// each address with its prefix length and the flags glibc keeps.
#pragma once

#include <stdint.h>

namespace aresolv {

// glibc keeps an unbounded list; beyond this many we keep the first ones and
// set `truncated` (the seen_* flags still account for every address).
constexpr int kMaxLocalAddresses = 128;

// The two flags glibc derives from ifa_flags (in6ai_deprecated, in6ai_homeaddress).
// "Deprecated" also covers IFA_F_OPTIMISTIC, as in glibc; temporary
// (privacy) addresses are not distinguished by glibc, so not here either.
enum : uint8_t {
  kLocalAddressDeprecated = 1,
  kLocalAddressHomeAddress = 2,
};

struct LocalAddress {
  uint8_t bytes[16];         // IPv6, or IPv4 as ::ffff:a.b.c.d (network order)
  uint32_t interface_index;  // ifa_index
  uint8_t prefix_length;     // ifa_prefixlen
  uint8_t flags;             // kLocalAddress* bits
};

struct LocalAddresses {
  // What AI_ADDRCONFIG looks at. Loopback means exactly 127.0.0.1 and ::1
  // (glibc compares the address, not the interface). When netlink fails both
  // are true, glibc's "be pessimistic".
  bool seen_ipv4 = false;
  bool seen_ipv6 = false;
  // false when netlink failed: glibc then has no list at all (in6ai == NULL)
  // and the sort looks nothing up. When it succeeded but no non-loopback IPv6
  // address exists, glibc drops the list: listed is true and count 0.
  bool listed = false;
  bool truncated = false;
  int count = 0;
  LocalAddress addresses[kMaxLocalAddresses];
};

// Asks the kernel (NETLINK_ROUTE, RTM_GETADDR) for every interface address.
// The netlink socket is opened and closed within the call. A list the kernel
// gave is remembered for up to a second (resolver/recheck.h). Returns false when
// the kernel could not be asked; `out` then holds glibc's fallback
// (seen_ipv4 = seen_ipv6 = true, listed = false).
bool query_local_addresses(LocalAddresses* out);

// AI_ADDRCONFIG as glibc applies it to ai_family: returns the family to look
// up (AF_UNSPEC narrowed to AF_INET or AF_INET6 when only one kind of address
// exists; unchanged when none exists at all), or -1 when glibc answers
// EAI_NONAME without looking anything up.
int addrconfig_family(int requested_family, bool seen_ipv4, bool seen_ipv6);

// Finds the entry glibc's bsearch over its memcmp-sorted list would find for
// `bytes` (IPv6 or ::ffff:-mapped IPv4). Returns nullptr when absent.
// `sorted` must come from sort_local_addresses().
const LocalAddress* find_local_address(const LocalAddresses& sorted, const uint8_t bytes[16]);

// Sorts the list by address bytes, keeping netlink order among duplicates (as
// glibc's merge-sort qsort does), so that find_local_address picks the same
// duplicate glibc would.
void sort_local_addresses(LocalAddresses* addresses);

}  // namespace aresolv
