#include "resolver/numeric.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

namespace aresolv {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One part the way strtoul(base 0) reads it after a digit: 0x-hex, 0-octal or
// decimal. Returns false when the value exceeds 32 bits (strtoul's ERANGE and
// inet_aton's own limit reject alike).
bool parse_aton_part(const char** cursor, uint32_t* value) {
  const char* p = *cursor;
  unsigned base = 10;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hex_value(p[2]) >= 0) {
    base = 16;
    p += 2;
  } else if (p[0] == '0') {
    base = 8;
  }
  uint64_t v = 0;
  for (;; ++p) {
    int d = hex_value(*p);
    if (d < 0 || static_cast<unsigned>(d) >= base) break;
    v = v * base + static_cast<unsigned>(d);
    if (v > 0xffffffffu) return false;
  }
  *cursor = p;
  *value = static_cast<uint32_t>(v);
  return true;
}

bool is_link_scoped(const uint8_t a[16]) {
  bool link_local = a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
  bool multicast_node_or_link = a[0] == 0xff && ((a[1] & 0x0f) == 0x1 || (a[1] & 0x0f) == 0x2);
  return link_local || multicast_node_or_link;
}

bool is_v4_mapped(const uint8_t a[16]) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(a, prefix, sizeof prefix) == 0;
}

}  // namespace

bool parse_ipv4_numbers_and_dots(const char* text, uint8_t out[4]) {
  static const uint32_t kLastPartMax[4] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
  uint8_t leading[3];
  int parts = 0;
  const char* p = text;
  uint32_t value = 0;
  for (;;) {
    if (!is_digit(*p)) return false;
    if (!parse_aton_part(&p, &value)) return false;
    if (*p != '.') break;
    if (parts == 3 || value > 0xff) return false;
    leading[parts++] = static_cast<uint8_t>(value);
    ++p;
  }
  if (*p != '\0') return false;  // inet_aton would stop at white space; the exact form does not
  if (value > kLastPartMax[parts]) return false;
  uint8_t result[4] = {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
                       static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
  for (int i = 0; i < parts; ++i) result[i] |= leading[i];
  memcpy(out, result, 4);
  return true;
}

bool parse_ipv6_scope_id(const uint8_t address[16], const char* scope, uint32_t* scope_id) {
  if (is_link_scoped(address)) {
    // if_nametoindex asks the kernel (SIOCGIFINDEX); it never enters NSS.
    unsigned index = if_nametoindex(scope);
    if (index != 0) {
      *scope_id = index;
      return true;
    }
  }
  if (!is_digit(scope[0])) return false;
  uint64_t v = 0;
  const char* p = scope;
  for (; is_digit(*p); ++p) {
    v = v * 10 + static_cast<unsigned>(*p - '0');
    if (v > 0xffffffffu) return false;
  }
  if (*p != '\0') return false;
  *scope_id = static_cast<uint32_t>(v);
  return true;
}

NumericHost parse_numeric_host(const char* name, Address* out, int requested_family) {
  Address a;
  memset(&a, 0, sizeof a);
  if (parse_ipv4_numbers_and_dots(name, a.bytes)) {
    a.family = AF_INET;
    *out = a;
    return NumericHost::kIPv4;
  }

  const char* scope = strchr(name, '%');
  size_t length = scope ? static_cast<size_t>(scope - name) : strlen(name);
  // The longest text inet_pton accepts for IPv6 is 45 characters.
  char text[64];
  if (length >= sizeof text) return NumericHost::kNotNumeric;
  memcpy(text, name, length);
  text[length] = '\0';
  if (inet_pton(AF_INET6, text, a.bytes) != 1) return NumericHost::kNotNumeric;
  a.family = AF_INET6;

  if (scope != nullptr) {
    uint8_t checked[16];
    memcpy(checked, a.bytes, 16);
    if (requested_family == AF_INET && is_v4_mapped(a.bytes)) memcpy(checked, a.bytes + 12, 4);
    if (!parse_ipv6_scope_id(checked, scope + 1, &a.scope_id)) {
      a.scope_id = 0;
      *out = a;
      return NumericHost::kBadScope;
    }
  }
  *out = a;
  return NumericHost::kIPv6;
}

bool format_address(const Address& address, char* text, size_t size) {
  if (address.family != AF_INET && address.family != AF_INET6) return false;
  return inet_ntop(address.family, address.bytes, text, static_cast<socklen_t>(size)) != nullptr;
}

}  // namespace aresolv
