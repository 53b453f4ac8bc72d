// Destination address ordering exactly as glibc 2.36's getaddrinfo does it
// (sysdeps/posix/getaddrinfo.c: the source-address probe loop and
// rfc3484_sort run through glibc's merge-sort qsort_r).
//
// What glibc implements of RFC 3484/6724, and how it differs:
//  1 avoid unusable destinations (no source address from a UDP connect)
//  2 prefer matching scope        3 avoid deprecated (and optimistic) sources
//  4 prefer home addresses        5 prefer matching label
//  6 prefer higher precedence     7 native transport: a no-op in 2.36
//  8 prefer smaller scope
//  9 longest matching prefix, only between destinations of the same family;
//    for IPv4 only when the source and destination share the source's subnet
//    (prefix length from netlink), counting matching leading bits
// 10 original order.
// Rules 2-5 and 9 apply only when both destinations have a source. IPv4
// destinations are looked up as ::ffff:a.b.c.d in the label and precedence
// tables but take their scope from the scopev4 table; IPv6 ::ffff: addresses
// (AI_V4MAPPED) are plain IPv6 (scope 14, rule 9 on the IPv6 bytes). Because
// rule 9 compares only same-family pairs the comparison is not transitive, so
// the result depends on the exact merge sort and on the exact list: pass the
// list glibc sorts (every address repeated once per socket type, as
// getaddrinfo's result has them) to get glibc's order.
#pragma once

#include <stdint.h>

#include "resolver/gai_conf.h"
#include "resolver/interfaces.h"
#include "resolver/records.h"

namespace aresolv {

// What the probe learned about one destination.
struct SourceInfo {
  bool found = false;         // glibc's got_source_addr
  Address address = {};       // the source, same family as the destination
  uint8_t flags = 0;          // kLocalAddress* of the source (0 when not listed)
  uint8_t prefix_length = 0;  // of the source's interface address (0 when not listed)
};

// Learns each destination's source address as glibc does: one UDP socket
// connect()ed to each destination in turn (reset between them, reopened as
// IPv6 when an IPv6 destination follows IPv4 ones, IPv4 when IPv6 sockets are
// unavailable), closed before returning; consecutive identical destinations
// share the first one's result. `local` is the netlink snapshot
// (query_local_addresses, sorted with sort_local_addresses) used for the
// sources' flags and prefix lengths. `port` (network order) is put into the
// sockaddrs connected to, as glibc connects to the result's own sockaddr.
void probe_sources(const Address* destinations, int count, uint16_t port,
                   const LocalAddresses& local, SourceInfo* sources);

// The pure comparison: fills order[0..count) with the permutation glibc's
// qsort_r(rfc3484_sort) produces. Returns false (order left as identity) only
// when a list of more than 256 entries cannot get its merge buffer.
bool sort_with_sources(const Address* destinations, const SourceInfo* sources, int count,
                       const GaiPolicy& policy, int* order);

// glibc's rfc3484_sort for two entries (index = position in the original list).
int compare_destinations(const Address& d1, const SourceInfo& s1, int index1, const Address& d2,
                         const SourceInfo& s2, int index2, const GaiPolicy& policy);

// Computes glibc's order for `destinations`: probes the sources, reads
// gai.conf at `gai_conf_path` (cached, see CurrentGaiPolicy) and sorts.
// `local` may be the snapshot already taken for AI_ADDRCONFIG (glibc reuses
// it); nullptr queries netlink. Returns false on allocation failure (glibc's
// EAI_MEMORY); `order` is then the identity.
bool sort_destination_order(const Address* destinations, int count, const char* gai_conf_path,
                            int* order, uint16_t port = 0, const LocalAddresses* local = nullptr);

// The same, reordering `addresses` in place. Returns false on allocation
// failure, leaving the list unchanged.
bool sort_destinations(Address* addresses, int count, const char* gai_conf_path, uint16_t port = 0,
                       const LocalAddresses* local = nullptr);

}  // namespace aresolv
