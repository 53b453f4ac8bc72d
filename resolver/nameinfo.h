// getnameinfo as glibc 2.36 computes it (inet/getnameinfo.c), with the host
// name from our gethostbyaddr_r (hostent_lookup.h) and the service name from
// our /etc/services parser (services.h), so that no lookup enters NSS.
//
// What glibc does, and so what name_info does:
// - Flags other than NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD,
//   NI_DGRAM, NI_IDN and the two deprecated IDN bits (64, 128): EAI_BADFLAGS.
//   glibc has no NI_NUMERICSCOPE: its bit is an unknown flag like any other.
// - A null address or one shorter than sa_family_t, an unknown family, or a
//   length short of the family's sockaddr: EAI_FAMILY. NI_NAMEREQD with
//   neither host nor serv: EAI_NONAME.
// - The host part is computed only when host is non-null and hostlen > 0,
//   then the service part likewise; the first error is returned.
// - Host by name: gethostbyaddr_r with a buffer of 1024 bytes doubled on
//   ERANGE. No answer with h_errno NETDB_INTERNAL gives EAI_SYSTEM, with
//   TRY_AGAIN EAI_AGAIN (both also set the global h_errno); any other miss
//   falls back to the numeric form unless NI_NAMEREQD (EAI_NONAME).
// - NI_NOFQDN cuts the name before the first occurrence of the local domain
//   when a '.' precedes it, wherever that occurrence is (glibc does not check
//   that it ends the name). The local domain is computed once per process as
//   glibc's nrl_domainname does: the part after the first dot of the
//   canonical name of "localhost", else of gethostname(), else of the
//   canonical name of the host name, else of 127.0.0.1's name.
// - NI_IDN: glibc dlopens libidn2 to decode punycode labels and copies the
//   name when it cannot; we never dlopen, so we always copy.
// - Numeric host: inet_ntop (EAI_OVERFLOW, errno ENOSPC, buffer untouched
//   when short); a non-zero IPv6 scope id appends "%ifname" for link-local
//   unicast and link-local multicast addresses when if_indextoname knows the
//   index, else "%id"; a short buffer gets snprintf's truncated text and
//   EAI_OVERFLOW.
// - Service: the /etc/services name for the port and "tcp" ("udp" with
//   NI_DGRAM) unless NI_NUMERICSERV, else the decimal port (snprintf:
//   truncated text and EAI_OVERFLOW when short). A found name that does not
//   fit gives EAI_OVERFLOW with the buffer untouched.
// - AF_LOCAL: host is uname's nodename (unless NI_NUMERICHOST), else
//   "localhost" (EAI_NONAME with NI_NAMEREQD); service is sun_path.
#pragma once

#include <netdb.h>
#include <stddef.h>
#include <sys/socket.h>

namespace aresolv {

int name_info(const struct sockaddr* address, socklen_t address_length, char* host,
              socklen_t host_length, char* service, socklen_t service_length, int flags);

// NI_NOFQDN's cut of `name` in place, as glibc does it with `domain`
// (nullptr: no local domain, nothing cut).
void strip_local_domain(char* name, const char* domain);

// The lookups nrl_domainname makes, replaceable in tests.
struct LocalDomainSources {
  int (*by_name)(const char* name, struct hostent* result_buf, char* buffer, size_t buffer_length,
                 struct hostent** result, int* h_errnop);
  int (*host_name)(char* name, size_t length);
  int (*by_addr)(const void* address, socklen_t length, int type, struct hostent* result_buf,
                 char* buffer, size_t buffer_length, struct hostent** result, int* h_errnop);
};

// nrl_domainname_core: the local domain in a malloc'ed string, or nullptr in
// *domain when there is none. Returns false only when memory ran out.
bool compute_local_domain(const LocalDomainSources& sources, char** domain);

}  // namespace aresolv
