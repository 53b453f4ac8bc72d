// Numeric host literals, accepted exactly as glibc 2.36's getaddrinfo accepts
// them (sysdeps/posix/getaddrinfo.c, text_to_binary_address): IPv4 in all the
// inet_aton forms but with nothing after the number, then IPv6 as inet_pton
// reads it with an optional "%scope" suffix.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "resolver/records.h"

namespace aresolv {

enum class NumericHost {
  kNotNumeric,  // neither form: a name to look up
  kIPv4,        // `out` holds the AF_INET address
  kIPv6,        // `out` holds the AF_INET6 address and its scope id
  kBadScope,    // IPv6 literal with an unusable "%scope": glibc answers EAI_NONAME
};

// Classifies `name`. For kBadScope, `out` still holds the IPv6 address (scope
// id 0), because glibc checks the requested family first: a caller asking for
// AF_INET must report EAI_ADDRFAMILY for a non-v4-mapped literal before it
// reports the bad scope.
//
// `requested_family` only matters for one glibc oddity: with AF_INET and a
// v4-mapped literal, glibc has already overwritten the first four bytes with
// the IPv4 address when it checks whether the scope may be an interface name,
// so "::ffff:254.128.0.1%lo" is accepted for AF_INET but not for AF_UNSPEC.
// The address returned is the IPv6 one in every case; the caller converts.
NumericHost parse_numeric_host(const char* name, Address* out, int requested_family = AF_UNSPEC);

// inet_aton's forms (a.b.c.d, a.b.c, a.b, a; each part decimal, 0x-hex or
// 0-octal) covering the whole string: glibc's __inet_aton_exact.
bool parse_ipv4_numbers_and_dots(const char* text, uint8_t out[4]);

// A scope id for a 16-byte IPv6 address as glibc's __inet6_scopeid_pton reads
// it: an interface name (link-local unicast and node/link-local multicast
// addresses only) or a decimal number up to UINT32_MAX (any address).
bool parse_ipv6_scope_id(const uint8_t address[16], const char* scope, uint32_t* scope_id);

// `address` as inet_ntop writes it, without any scope. False when `size` is
// too small (INET6_ADDRSTRLEN always suffices) or the family is unknown.
bool format_address(const Address& address, char* text, size_t size);

}  // namespace aresolv
