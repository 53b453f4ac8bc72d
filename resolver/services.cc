#include "resolver/services.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "resolver/base.h"
#include "resolver/file_snapshot.h"
#include "resolver/file_table_cache.h"
#include "resolver/nss_file_table.h"

namespace aresolv {
namespace {

struct ServiceEntry {
  uint16_t port;      // host order
  size_t names;       // pool offset: name, protocol, then the aliases
  size_t name_count;  // the name and the aliases (the protocol not counted)
};

bool is_space(char c) { return is_nss_space(c); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strtoul(text, &end, 0) on a 64-bit system; *end == text when no digits.
uint64_t strtoul_base0(const char* text, const char** end) {
  const char* p = text;
  bool negative = false;
  if (*p == '+' || *p == '-') negative = *p++ == '-';
  unsigned base = 10;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
    base = 16;
    p += 2;
  } else if (p[0] == '0') {
    base = 8;
  }
  const char* digits = p;
  uint64_t v = 0;
  bool overflow = false;
  for (; digit_value(*p) < static_cast<int>(base); ++p) {
    unsigned d = static_cast<unsigned>(digit_value(*p));
    if (v > (UINT64_MAX - d) / base) overflow = true;
    v = v * base + d;
  }
  if (p == digits) {
    *end = text;
    return 0;
  }
  *end = p;
  if (overflow) return UINT64_MAX;
  return negative ? 0 - v : v;
}

}  // namespace

class ServicesTable {
 public:
  int refs;
  FileIdentity identity;
  ServiceEntry* entries;
  size_t count;
  char* pool;

  const char* name(const ServiceEntry& e) const { return pool + e.names; }
  const char* protocol(const ServiceEntry& e) const {
    const char* n = name(e);
    return n + strlen(n) + 1;
  }
};

namespace {

void destroy(ServicesTable* t) {
  free(t->entries);
  free(t->pool);
  free(t);
}

char* copy_token(char** read, char* write) {
  char* start = *read;
  char* p = start;
  while (*p != '\0' && !is_space(*p)) ++p;
  size_t n = static_cast<size_t>(p - start);
  // Skip the separator before terminating: for the first token, `write` is
  // `start` and the terminator lands on it.
  while (is_space(*p)) ++p;
  *read = p;
  memmove(write, start, n);
  write[n] = '\0';
  return write + n + 1;
}

// Parses one line in place (see hosts.cc): name, protocol and aliases are
// left at `line`. Returns the pool bytes used, or 0 when glibc skips it.
size_t parse_line(char* line, ServiceEntry* entry) {
  char* read = line;
  char* write = copy_token(&read, line);

  const char* end;
  uint64_t value = strtoul_base0(read, &end);
  if (end == read || value > 0xffffffffu) return 0;
  if (*end == '/') {
    while (*end == '/') ++end;
  } else if (*end != '\0') {
    return 0;
  }
  entry->port = static_cast<uint16_t>(value);
  read = const_cast<char*>(end);

  write = copy_token(&read, write);  // the protocol, possibly empty
  size_t count = 1;
  while (*read != '\0') {
    write = copy_token(&read, write);
    ++count;
  }
  entry->name_count = count;
  return static_cast<size_t>(write - line);
}

}  // namespace

ServicesTable* services_table_parse(const char* text, size_t length) {
  return parse_nss_file<ServicesTable, ServiceEntry, parse_line, destroy>(text, length);
}

void services_table_release(ServicesTable* table) {
  if (table && __atomic_sub_fetch(&table->refs, 1, __ATOMIC_ACQ_REL) == 0) destroy(table);
}

Status services_table_port_by_name(const ServicesTable& t, const char* name, const char* protocol,
                                   uint16_t* port_host_order) {
  for (size_t i = 0; i < t.count; ++i) {
    const ServiceEntry& e = t.entries[i];
    const char* proto = t.protocol(e);
    if (protocol && strcmp(proto, protocol) != 0) continue;
    bool match = strcmp(t.name(e), name) == 0;
    const char* alias = proto + strlen(proto) + 1;
    for (size_t j = 1; !match && j < e.name_count; ++j, alias += strlen(alias) + 1) {
      match = strcmp(alias, name) == 0;
    }
    if (match) {
      *port_host_order = e.port;
      return Status::kSuccess;
    }
  }
  return Status::kNotFound;
}

Status services_table_name_by_port(const ServicesTable& t, uint16_t port_host_order,
                                   const char* protocol, char* name, size_t size) {
  for (size_t i = 0; i < t.count; ++i) {
    const ServiceEntry& e = t.entries[i];
    if (e.port != port_host_order || (protocol && strcmp(t.protocol(e), protocol) != 0)) continue;
    if (!copy_string(name, size, t.name(e))) {
      if (size > 0) name[0] = '\0';
      errno = ERANGE;
      return Status::kSystem;
    }
    return Status::kSuccess;
  }
  return Status::kNotFound;
}

// ---- the shared, file-backed table -------------------------------------------

namespace {

using Cache = FileTableCache<ServicesTable, services_table_parse, services_table_release>;
using TableRef = FileTableRef<Cache, ServicesTable, services_table_release>;

TableRef current_table(const char* path, Status* status) {
  return TableRef(Cache::shared(), path, status);
}

}  // namespace

Status services_port_by_name(const char* path, const char* name, const char* protocol,
                             uint16_t* port_host_order) {
  Status status = Status::kUnavail;
  TableRef table = current_table(path, &status);
  if (!table.usable()) return status;
  return services_table_port_by_name(*table, name, protocol, port_host_order);
}

Status services_name_by_port(const char* path, uint16_t port_host_order, const char* protocol,
                             char* name, size_t size) {
  Status status = Status::kUnavail;
  TableRef table = current_table(path, &status);
  if (!table.usable()) return status;
  return services_table_name_by_port(*table, port_host_order, protocol, name, size);
}

}  // namespace aresolv
