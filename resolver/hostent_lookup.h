// gethostbyname*_r and gethostbyaddr_r as glibc 2.36 computes them: the
// numeric-name shortcut (nss/digits_dots.c), then the sources of the
// nsswitch.conf hosts line in the generic NSS loop (nss/getXXbyYY_r.c), with
// the files and dns sources filling the caller's buffer the way nss_files and
// nss_dns (Debian 12's release/2.36 branch) do. The layout matters: callers
// grow their buffer on ERANGE, and the size at which glibc says ERANGE
// depends on its layout (the whole /etc/hosts line is kept in the buffer,
// pointer arrays are 8-byte aligned, addresses 4-byte aligned...).
#pragma once

#include <netdb.h>
#include <stddef.h>
#include <sys/socket.h>

namespace aresolv {

enum class HostNssStatus { kSuccess = 0, kNotFound, kUnavail, kTryAgain };

// __nss_hostname_digits_dots with glibc's two calling conventions: with
// `buffer_size` nullptr it fills *buffer (of `buflen` bytes) and reports
// through *status; with `buffer_size` it may realloc *buffer (the
// non-reentrant functions) and reports through *result. Returns 1 when the
// name was handled (an answer or an error), 0 when it must be looked up, -1
// when the resolver context was unavailable (never, here).
int hostname_digits_dots(const char *name, struct hostent *resbuf, char **buffer,
                         size_t *buffer_size, size_t buflen, struct hostent **result,
                         HostNssStatus *status, int af, int *h_errnop);

// gethostbyname2_r (gethostbyname_r is af == AF_INET). Returns what glibc
// returns (0, ERANGE, EAGAIN, or an errno value) and leaves errno equal to it.
int hostent_by_name(const char *name, int af, struct hostent *resbuf, char *buffer, size_t buflen,
                    struct hostent **result, int *h_errnop);

// gethostbyaddr_r.
int hostent_by_addr(const void *addr, socklen_t len, int type, struct hostent *resbuf, char *buffer,
                    size_t buflen, struct hostent **result, int *h_errnop);

// The individual sources, exposed for tests. `hosts_path` is the hosts file.
HostNssStatus files_gethostbyname3(const char *hosts_path, bool multi, const char *name, int af,
                                   struct hostent *result, char *buffer, size_t buflen,
                                   int *h_errnop);
HostNssStatus files_gethostbyaddr(const char *hosts_path, const void *addr, socklen_t len, int af,
                                  struct hostent *result, char *buffer, size_t buflen,
                                  int *h_errnop);

// nss_dns's answer parsers, for a raw response `packet`: the addresses of
// type qtype (1 = A, 28 = AAAA) with h_name and aliases, or the PTR name.
HostNssStatus dns_hostent_from_answer(const unsigned char *packet, size_t packet_length, int qtype,
                                      struct hostent *result, char *buffer, size_t buflen,
                                      int *h_errnop);

}  // namespace aresolv
