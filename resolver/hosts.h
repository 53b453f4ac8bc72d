// /etc/hosts, answered as glibc 2.36's nss_files does (nss/nss_files/
// files-hosts.c, files-parse.c, nss_readline.c), by our own parser.
//
// What glibc does, and so what these functions do:
// - Lines are read as fgets sees them: a NUL ends the line's text, leading
//   white space is dropped, empty lines and lines starting with '#' are
//   skipped, and everything from the first '#' on is a comment. (A quirk kept
//   on purpose: when the last line has leading white space and no newline,
//   glibc's memmove leaves that many trailing characters doubled, so
//   "  1.2.3.4 foo" at the end of the file names "foooo".)
// - A line is "address name aliases...", separated by white space. A line
//   whose address inet_pton rejects (so "1.2.3" or "01.2.3.4") is skipped; a
//   line with an address only has the empty name.
// - Names match case-insensitively (strcasecmp); the names returned are
//   spelled as in the file, never as asked.
// - How a line's address is read depends on the family asked for:
//   AF_UNSPEC (gethostbyname4_r): IPv4 or IPv6, as written.
//   AF_INET: IPv4 lines; an IPv6 line only when v4-mapped (answered as its
//   IPv4 address) or "::1" (answered as 127.0.0.1); other IPv6 lines skipped.
//   AF_INET6: IPv6 lines only (a v4-mapped line stays v4-mapped); IPv4 lines
//   skipped. Neither AI_V4MAPPED nor RES_USE_INET6 matters here: getaddrinfo
//   maps addresses itself, and nss_files has ignored RES_USE_INET6 since 2.26.
// - Without `multi` (host.conf), only the first matching line counts. With
//   it, gethostbyname4_r and gethostbyname3_r take every matching line in
//   file order: the canonical name is the first line's; the aliases are the
//   first line's, then for each further line its aliases followed by its own
//   name if that differs (strcmp) from the canonical name. gethostbyaddr_r
//   always takes the first matching line.
#pragma once

#include <stddef.h>

#include "resolver/records.h"

namespace aresolv {

// Aliases, written into a caller's buffer as consecutive NUL-terminated
// strings in glibc's order. Aliases that do not fit are counted in `needed`
// but not written, so that the caller can retry with a buffer of that size
// (gethostbyname_r must answer ERANGE when its buffer is too small).
struct AliasBuffer {
  char* data = nullptr;
  size_t size = 0;
  size_t needed = 0;  // bytes all the aliases take, terminators included
  int count = 0;      // aliases found (all of them, written or not)

  AliasBuffer() = default;
  AliasBuffer(char* buffer, size_t buffer_size) : data(buffer), size(buffer_size) {}
  bool overflowed() const { return needed > size; }
  void clear() {
    needed = 0;
    count = 0;
  }
  void add(const char* alias);
  // The alias after `previous` (nullptr: the first), nullptr after the last.
  // Only meaningful when !overflowed().
  const char* next(const char* previous) const;
};

// A parsed hosts file: immutable once built, shared by reference count.
class HostsTable;

// Parses hosts text (`text` need not be NUL-terminated and may contain NULs).
// Returns a table holding one reference, or nullptr when memory ran out.
HostsTable* hosts_table_parse(const char* text, size_t length);
void hosts_table_release(HostsTable* table);

// For the three lookups below: `out` is reset first. A name in the file
// longer than kMaxNameLength - 1 is cut in out->canonical_name; more than
// kMaxAddresses addresses set out->truncated. kNotFound is NSS_STATUS_NOTFOUND
// with h_errno HOST_NOT_FOUND (nss_files never reports NO_DATA for a name).

// _nss_files_gethostbyname4_r: the addresses of every family, file order.
Status hosts_table_by_name4(const HostsTable& table, bool multi, const char* name, NameResult* out);

// _nss_files_gethostbyname3_r (and _r2, which only lacks the canonical name):
// `family` is AF_INET or AF_INET6. `aliases` may be nullptr.
Status hosts_table_by_name3(const HostsTable& table, bool multi, const char* name, int family,
                            NameResult* out, AliasBuffer* aliases);

// _nss_files_gethostbyaddr_r: the first line whose address, read for
// `family`, has `length` bytes equal to `address`. out->addresses[0] is that
// address, out->canonical_name the line's name. (glibc's gethostbyaddr_r
// itself answers HOST_NOT_FOUND for "::" before asking any source; that is
// the caller's business.)
Status hosts_table_by_addr(const HostsTable& table, const void* address, size_t length, int family,
                           NameResult* out, AliasBuffer* aliases);

// The same lookups on the file at `path` (settings().hosts_path), parsed once
// and parsed again only when the file's identity changes: one stat per call.
// The table is shared by all threads and survives fork(). An absent or
// unreadable file gives kUnavail (NSS_STATUS_UNAVAIL; glibc's
// gethostbyname4_r sets h_errno NO_DATA then, gethostbyname3_r leaves it);
// memory exhaustion gives kNoMemory.
Status hosts_by_name4(const char* path, bool multi, const char* name, NameResult* out);
Status hosts_by_name3(const char* path, bool multi, const char* name, int family, NameResult* out,
                      AliasBuffer* aliases);
Status hosts_by_addr(const char* path, const void* address, size_t length, int family,
                     NameResult* out, AliasBuffer* aliases);

}  // namespace aresolv
