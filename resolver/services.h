// /etc/services, answered as glibc 2.36's nss_files does (nss/nss_files/
// files-service.c, files-parse.c), by our own parser: glibc's getservbyname_r
// and getservbyport_r would enter NSS.
//
// What glibc does, and so what these functions do:
// - Lines are read as for /etc/hosts (see hosts.h): leading white space
//   dropped, '#' starts a comment, a NUL ends the line's text.
// - A line is "name port[/protocol] aliases...". The port is read by strtoul
//   with base 0, so "0x50" and "0120" are 80, a sign is accepted, a value
//   above 32 bits makes glibc skip the line, and the port is the value's low
//   16 bits ("65616/tcp" is port 80). Several slashes may follow the port; a
//   line with no slash at all has the empty protocol; anything else after the
//   number skips the line.
// - By name: the first line, in file order, whose protocol is the one asked
//   (any, when nullptr) and whose name or an alias equals the name, case-
//   sensitively (strcmp).
// - By port: the first line with that port and protocol (any when nullptr).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "resolver/records.h"

namespace aresolv {

// A parsed services file: immutable once built, shared by reference count.
class ServicesTable;

// `text` need not be NUL-terminated. nullptr when memory ran out.
ServicesTable* services_table_parse(const char* text, size_t length);
void services_table_release(ServicesTable* table);

Status services_table_port_by_name(const ServicesTable& table, const char* name,
                                   const char* protocol, uint16_t* port_host_order);
Status services_table_name_by_port(const ServicesTable& table, uint16_t port_host_order,
                                   const char* protocol, char* name, size_t size);

// The same on the file at `path` (settings().services_path), parsed once and
// again only when the file's identity changes (one stat per call), shared by
// all threads and safe across fork().
//
// Results: kSuccess; kNotFound; kUnavail when the file is absent or
// unreadable (glibc: NSS_STATUS_UNAVAIL, no entry); kNoMemory. For
// services_name_by_port, kSystem with errno ERANGE when the name does not fit
// in `size` bytes with its terminator (getnameinfo's EAI_OVERFLOW); `name` is
// then left empty (when size > 0).
Status services_port_by_name(const char* path, const char* name, const char* protocol,
                             uint16_t* port_host_order);
Status services_name_by_port(const char* path, uint16_t port_host_order, const char* protocol,
                             char* name, size_t size);

}  // namespace aresolv
