#include "resolver/hosts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "resolver/base.h"
#include "resolver/file_snapshot.h"
#include "resolver/file_table_cache.h"
#include "resolver/nss_file_table.h"

namespace aresolv {

// ---- the alias buffer ------------------------------------------------------

void AliasBuffer::add(const char* alias) {
  size_t n = strlen(alias) + 1;
  // Once one alias did not fit, later ones are not written either: the
  // strings must stay consecutive for next().
  if (!overflowed() && needed + n <= size) memcpy(data + needed, alias, n);
  needed += n;
  ++count;
}

const char* AliasBuffer::next(const char* previous) const {
  const char* p = previous ? previous + strlen(previous) + 1 : data;
  if (overflowed() || count == 0 || p >= data + needed) return nullptr;
  return p;
}

// ---- the table ---------------------------------------------------------------

namespace {

struct HostsEntry {
  int family;  // AF_INET or AF_INET6, as written in the file
  uint8_t bytes[16];
  size_t names;       // offset in the pool of the first name; the others follow
  size_t name_count;  // >= 1: the canonical name, possibly empty, then aliases
};

// isspace in the C locale; glibc's locales agree on every single byte.
bool is_space(char c) { return is_nss_space(c); }

const uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
const uint8_t kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

}  // namespace

class HostsTable {
 public:
  int refs;
  FileIdentity identity;
  HostsEntry* entries;
  size_t count;
  char* pool;

  const char* name(const HostsEntry& e, size_t i) const {
    const char* p = pool + e.names;
    while (i--) p += strlen(p) + 1;
    return p;
  }
};

namespace {

void destroy(HostsTable* t) {
  free(t->entries);
  free(t->pool);
  free(t);
}

// The address of `e` as files-hosts.c's parser returns it when asked for
// `family`; false when that parser skips the line.
bool address_for(const HostsEntry& e, int family, Address* out) {
  memset(out, 0, sizeof *out);
  if (family == AF_UNSPEC || family == e.family) {
    out->family = e.family;
    memcpy(out->bytes, e.bytes, e.family == AF_INET ? 4 : 16);
    return true;
  }
  if (family != AF_INET) return false;  // AF_INET6 never takes IPv4 lines
  out->family = AF_INET;
  if (memcmp(e.bytes, kV4MappedPrefix, 12) == 0) {
    memcpy(out->bytes, e.bytes + 12, 4);
    return true;
  }
  if (memcmp(e.bytes, kLoopback6, 16) == 0) {
    static const uint8_t kLoopback4[4] = {127, 0, 0, 1};
    memcpy(out->bytes, kLoopback4, 4);
    return true;
  }
  return false;
}

bool matches(const HostsTable& t, const HostsEntry& e, const char* name) {
  const char* p = t.pool + e.names;
  for (size_t i = 0; i < e.name_count; ++i, p += strlen(p) + 1) {
    if (strcasecmp(name, p) == 0) return true;
  }
  return false;
}

// Parses one line, already in the pool at `line` (NUL-terminated, comment
// cut off), leaving its names in place at `line`. Returns the bytes of pool
// used, or 0 when glibc would skip the line.
size_t parse_line(char* line, HostsEntry* entry) {
  char* p = line;
  while (*p != '\0' && !is_space(*p)) ++p;
  size_t address_length = static_cast<size_t>(p - line);
  char address[64];  // inet_pton accepts nothing longer than 45 characters
  if (address_length >= sizeof address) return 0;
  memcpy(address, line, address_length);
  address[address_length] = '\0';
  memset(entry->bytes, 0, sizeof entry->bytes);
  if (inet_pton(AF_INET, address, entry->bytes) == 1) {
    entry->family = AF_INET;
  } else if (inet_pton(AF_INET6, address, entry->bytes) == 1) {
    entry->family = AF_INET6;
  } else {
    return 0;
  }

  // Names are copied towards the start of the line; the writer never passes
  // the reader except by the final terminator, which the pool has room for.
  char* write = line;
  size_t count = 0;
  for (;;) {
    while (is_space(*p)) ++p;
    if (*p == '\0' && count > 0) break;
    char* start = p;
    while (*p != '\0' && !is_space(*p)) ++p;
    size_t n = static_cast<size_t>(p - start);
    memmove(write, start, n);
    write[n] = '\0';
    write += n + 1;
    ++count;
    if (*p == '\0') break;
  }
  entry->name_count = count;
  return static_cast<size_t>(write - line);
}

}  // namespace

HostsTable* hosts_table_parse(const char* text, size_t length) {
  return parse_nss_file<HostsTable, HostsEntry, parse_line, destroy>(text, length);
}

void hosts_table_release(HostsTable* table) {
  if (table && __atomic_sub_fetch(&table->refs, 1, __ATOMIC_ACQ_REL) == 0) destroy(table);
}

namespace {

void reset(NameResult* out, AliasBuffer* aliases) {
  out->count = 0;
  out->canonical_name[0] = '\0';
  out->ttl = 0;
  out->truncated = false;
  if (aliases) aliases->clear();
}

}  // namespace

Status hosts_table_by_name4(const HostsTable& t, bool multi, const char* name, NameResult* out) {
  reset(out, nullptr);
  bool any = false;
  for (size_t i = 0; i < t.count; ++i) {
    const HostsEntry& e = t.entries[i];
    if (!matches(t, e, name)) continue;
    Address a;
    address_for(e, AF_UNSPEC, &a);
    if (!any) copy_string(out->canonical_name, sizeof out->canonical_name, t.name(e, 0));
    any = true;
    out->add(a);
    if (!multi) break;
  }
  return any ? Status::kSuccess : Status::kNotFound;
}

Status hosts_table_by_name3(const HostsTable& t, bool multi, const char* name, int family,
                            NameResult* out, AliasBuffer* aliases) {
  reset(out, aliases);
  const HostsEntry* first = nullptr;
  for (size_t i = 0; i < t.count; ++i) {
    const HostsEntry& e = t.entries[i];
    Address a;
    if (!address_for(e, family, &a) || !matches(t, e, name)) continue;
    out->add(a);
    if (!first) {
      first = &e;
      copy_string(out->canonical_name, sizeof out->canonical_name, t.name(e, 0));
    }
    if (aliases) {
      for (size_t j = 1; j < e.name_count; ++j) aliases->add(t.name(e, j));
      if (first != &e && strcmp(t.name(*first, 0), t.name(e, 0)) != 0) aliases->add(t.name(e, 0));
    }
    if (!multi) break;
  }
  return first ? Status::kSuccess : Status::kNotFound;
}

Status hosts_table_by_addr(const HostsTable& t, const void* address, size_t length, int family,
                           NameResult* out, AliasBuffer* aliases) {
  reset(out, aliases);
  for (size_t i = 0; i < t.count; ++i) {
    const HostsEntry& e = t.entries[i];
    Address a;
    if (!address_for(e, family, &a)) continue;
    size_t line_length = a.family == AF_INET ? 4 : 16;
    if (line_length != length || memcmp(a.bytes, address, length) != 0) continue;
    out->add(a);
    copy_string(out->canonical_name, sizeof out->canonical_name, t.name(e, 0));
    if (aliases) {
      for (size_t j = 1; j < e.name_count; ++j) aliases->add(t.name(e, j));
    }
    return Status::kSuccess;
  }
  return Status::kNotFound;
}

// ---- the shared, file-backed table ------------------------------------------

namespace {

using Cache = FileTableCache<HostsTable, hosts_table_parse, hosts_table_release>;
using TableRef = FileTableRef<Cache, HostsTable, hosts_table_release>;

TableRef current_table(const char* path, Status* status) {
  return TableRef(Cache::shared(), path, status);
}

}  // namespace

Status hosts_by_name4(const char* path, bool multi, const char* name, NameResult* out) {
  reset(out, nullptr);
  Status status = Status::kUnavail;
  TableRef table = current_table(path, &status);
  if (!table.usable()) return status;
  return hosts_table_by_name4(*table, multi, name, out);
}

Status hosts_by_name3(const char* path, bool multi, const char* name, int family, NameResult* out,
                      AliasBuffer* aliases) {
  reset(out, aliases);
  Status status = Status::kUnavail;
  TableRef table = current_table(path, &status);
  if (!table.usable()) return status;
  return hosts_table_by_name3(*table, multi, name, family, out, aliases);
}

Status hosts_by_addr(const char* path, const void* address, size_t length, int family,
                     NameResult* out, AliasBuffer* aliases) {
  reset(out, aliases);
  Status status = Status::kUnavail;
  TableRef table = current_table(path, &status);
  if (!table.usable()) return status;
  return hosts_table_by_addr(*table, address, length, family, out, aliases);
}

}  // namespace aresolv
