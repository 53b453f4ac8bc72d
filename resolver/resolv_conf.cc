// resolv.conf as glibc 2.36 reads it (resolv/res_init.c). Every quirk below is
// glibc's: keywords only at the start of a line and followed by a blank,
// comments only at the start of a line, options matched by prefix, numbers read
// with atoi, no comments after a search list.
#include <arpa/inet.h>
#include <limits.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver/config.h"

namespace aresolv {
namespace {

struct Text {
  const char* p;
  size_t n;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// isspace() in the C locale, which is what atoi and strtoul skip.
bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool starts_with(Text t, const char* prefix) {
  size_t len = strlen(prefix);
  return t.n >= len && memcmp(t.p, prefix, len) == 0;
}

// glibc's MATCH(): the keyword, then a space or a tab.
bool keyword_matches(Text line, const char* keyword, Text* rest) {
  size_t len = strlen(keyword);
  if (line.n <= len || memcmp(line.p, keyword, len) != 0 || !is_blank(line.p[len])) return false;
  *rest = Text{line.p + len, line.n - len};
  return true;
}

Text skip_blanks(Text t) {
  while (t.n > 0 && is_blank(*t.p)) {
    ++t.p;
    --t.n;
  }
  return t;
}

// atoi(): (int) strtol(s, NULL, 10), with strtol's saturation at LONG_MIN/MAX.
int c_atoi(Text t) {
  size_t i = 0;
  while (i < t.n && is_c_space(t.p[i])) ++i;
  bool negative = false;
  if (i < t.n && (t.p[i] == '+' || t.p[i] == '-')) negative = t.p[i++] == '-';
  unsigned long magnitude = 0;
  bool overflow = false;
  for (; i < t.n && t.p[i] >= '0' && t.p[i] <= '9'; ++i) {
    unsigned digit = static_cast<unsigned>(t.p[i] - '0');
    if (magnitude > (ULONG_MAX - digit) / 10) {
      overflow = true;
    } else {
      magnitude = magnitude * 10 + digit;
    }
  }
  long value;
  if (negative) {
    unsigned long limit = static_cast<unsigned long>(LONG_MAX) + 1;
    value = (overflow || magnitude >= limit) ? LONG_MIN : -static_cast<long>(magnitude);
  } else {
    value = (overflow || magnitude > static_cast<unsigned long>(LONG_MAX))
                ? LONG_MAX
                : static_cast<long>(magnitude);
  }
  return static_cast<int>(value);  // atoi truncates as the conversion does
}

unsigned hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
  return 99;
}

// One number of an inet_aton address: strtoul(s, &end, 0) on a string that
// starts with a digit. Returns false when the value exceeds 32 bits.
bool parse_aton_part(const char* p, size_t n, size_t* used, uint32_t* value) {
  size_t i = 0;
  unsigned base = 10;
  // "0x" without a hex digit after it is the number 0 followed by "x".
  if (n >= 3 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hex_digit_value(p[2]) < 16) {
    base = 16;
    i = 2;
  } else if (p[0] == '0') {
    base = 8;
  }
  uint64_t v = 0;
  bool too_big = false;
  for (; i < n; ++i) {
    unsigned d = hex_digit_value(p[i]);
    if (d >= base) break;
    v = v * base + d;
    if (v > 0xffffffffu) {
      too_big = true;
      v = 0x100000000u;  // saturate so that further digits cannot overflow
    }
  }
  *used = i;
  *value = static_cast<uint32_t>(v);
  return !too_big;
}

}  // namespace

// glibc's __inet_aton_exact: the inet_aton forms (a, a.b, a.b.c, a.b.c.d with
// octal and hex parts), and nothing may follow the address.
bool parse_ipv4_exact(const char* p, size_t n, uint8_t out[4]) {
  static const uint32_t kMax[4] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
  uint8_t parts[4] = {0, 0, 0, 0};
  int count = 0;
  size_t i = 0;
  uint32_t value = 0;
  for (;;) {
    if (i >= n || p[i] < '0' || p[i] > '9') return false;
    size_t used = 0;
    if (!parse_aton_part(p + i, n - i, &used, &value)) return false;
    i += used;
    if (i < n && p[i] == '.') {
      if (count > 2 || value > 0xff) return false;
      parts[count++] = static_cast<uint8_t>(value);
      ++i;
    } else {
      break;
    }
  }
  if (i != n) return false;
  if (value > kMax[count]) return false;
  uint32_t word = (static_cast<uint32_t>(parts[0]) << 24) |
                  (static_cast<uint32_t>(parts[1]) << 16) | (static_cast<uint32_t>(parts[2]) << 8) |
                  parts[3];
  word |= value;
  out[0] = static_cast<uint8_t>(word >> 24);
  out[1] = static_cast<uint8_t>(word >> 16);
  out[2] = static_cast<uint8_t>(word >> 8);
  out[3] = static_cast<uint8_t>(word);
  return true;
}

namespace {

// glibc's __inet6_scopeid_pton: an interface name for link-local (and
// node/link-local multicast) addresses, else a decimal number. Errors leave
// the scope at 0, as res_init.c ignores them.
uint32_t parse_scope_id(const uint8_t addr[16], Text scope) {
  bool link_local = (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80) ||
                    (addr[0] == 0xff && ((addr[1] & 0x0f) == 0x1 || (addr[1] & 0x0f) == 0x2));
  if (link_local && scope.n < IF_NAMESIZE) {
    char name[IF_NAMESIZE];
    memcpy(name, scope.p, scope.n);
    name[scope.n] = '\0';
    unsigned index = if_nametoindex(name);
    if (index != 0) return index;
  }
  if (scope.n == 0 || scope.p[0] < '0' || scope.p[0] > '9') return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < scope.n; ++i) {
    if (scope.p[i] < '0' || scope.p[i] > '9') return 0;
    v = v * 10 + static_cast<unsigned>(scope.p[i] - '0');
    if (v > UINT32_MAX) return 0;
  }
  return static_cast<uint32_t>(v);
}

void add_nameserver(Text line_rest, ResolvConf* out) {
  Text cp = skip_blanks(line_rest);
  size_t len = 0;
  while (len < cp.n && !is_blank(cp.p[len])) ++len;
  Text token{cp.p, len};
  NameserverAddress ns;
  if (token.n > 0 && parse_ipv4_exact(token.p, token.n, ns.bytes)) {
    ns.family = AF_INET;
  } else {
    const char* percent = static_cast<const char*>(memchr(token.p, '%', token.n));
    size_t addr_len = percent ? static_cast<size_t>(percent - token.p) : token.n;
    // No valid IPv6 text is longer than 45 characters (glibc's inet_pton
    // allows at most four digits per group and no leading zeros in IPv4).
    char buf[64];
    if (addr_len == 0 || addr_len >= sizeof buf) return;
    memcpy(buf, token.p, addr_len);
    buf[addr_len] = '\0';
    if (inet_pton(AF_INET6, buf, ns.bytes) <= 0) return;
    ns.family = AF_INET6;
    if (percent) ns.scope_id = parse_scope_id(ns.bytes, Text{percent + 1, token.n - addr_len - 1});
  }
  // glibc keeps every server but uses only the first MAXNS.
  if (out->nameserver_count < kMaxNameservers) out->nameservers[out->nameserver_count++] = ns;
}

class SearchListBuilder {
 public:
  explicit SearchListBuilder(ResolvConf* conf) : conf_(conf) {}

  void clear() {
    conf_->search_count = 0;
    conf_->search_truncated = false;
    used_ = 0;
    any_ = false;
  }

  void add(const char* p, size_t n) {
    any_ = true;
    if (conf_->search_count >= kMaxSearchDomains || used_ + n + 1 > sizeof conf_->search.storage) {
      conf_->search_truncated = true;
      return;
    }
    memcpy(conf_->search.storage + used_, p, n);
    conf_->search.storage[used_ + n] = '\0';
    conf_->search.offsets[conf_->search_count++] = static_cast<uint16_t>(used_);
    used_ += n + 1;
  }

  // Blank-separated words; the first one is added even when empty, as glibc does.
  // `stop_at_newline` is LOCALDOMAIN's rule (a file line has none left).
  void add_words(Text t, bool stop_at_newline) {
    size_t start = 0;
    bool in_name = true;
    size_t i = 0;
    for (; i < t.n; ++i) {
      char c = t.p[i];
      if (stop_at_newline && c == '\n') break;
      if (is_blank(c)) {
        if (in_name) add(t.p + start, i - start);
        in_name = false;
      } else if (!in_name) {
        start = i;
        in_name = true;
      }
    }
    if (in_name) add(t.p + start, i - start);
  }

  // Whether glibc's list would be non-empty (even if nothing fit here).
  bool any() const { return any_; }

 private:
  ResolvConf* conf_;
  size_t used_ = 0;
  bool any_ = false;
};

void apply_options(Text t, ResolvConf* out) {
  size_t i = 0;
  while (i < t.n) {
    while (i < t.n && is_blank(t.p[i])) ++i;
    Text cp{t.p + i, t.n - i};
    if (starts_with(cp, "ndots:")) {
      int v = c_atoi(Text{cp.p + 6, cp.n - 6});
      // glibc stores the value in the 4-bit _res.ndots field.
      out->ndots = v <= 15 ? static_cast<int>(static_cast<unsigned>(v) & 15u) : 15;
    } else if (starts_with(cp, "timeout:")) {
      int v = c_atoi(Text{cp.p + 8, cp.n - 8});
      out->timeout = v <= 30 ? v : 30;
    } else if (starts_with(cp, "attempts:")) {
      int v = c_atoi(Text{cp.p + 9, cp.n - 9});
      out->attempts = v <= 5 ? v : 5;
    } else if (starts_with(cp, "rotate")) {
      out->rotate = true;
    } else if (starts_with(cp, "edns0")) {
      out->edns0 = true;
    } else if (starts_with(cp, "single-request-reopen")) {
      out->single_request_reopen = true;
    } else if (starts_with(cp, "single-request")) {
      out->single_request = true;
    } else if (starts_with(cp, "no_tld_query") || starts_with(cp, "no-tld-query")) {
      out->no_tld_query = true;
    } else if (starts_with(cp, "no-reload")) {
      out->no_reload = true;
    } else if (starts_with(cp, "use-vc")) {
      out->use_vc = true;
    } else if (starts_with(cp, "trust-ad")) {
      out->trust_ad = true;
    } else if (starts_with(cp, "no-aaaa")) {
      out->no_aaaa = true;
    }
    while (i < t.n && !is_blank(t.p[i])) ++i;
  }
}

}  // namespace

void parse_resolv_conf(const char* text, size_t length, const char* localdomain,
                       const char* res_options, const char* hostname, ResolvConf* out) {
  *out = ResolvConf();
  SearchListBuilder search(out);

  bool have_env = localdomain != nullptr;
  if (have_env) search.add_words(Text{localdomain, strlen(localdomain)}, true);

  size_t pos = 0;
  while (pos < length) {
    const char* start = text + pos;
    const char* newline = static_cast<const char*>(memchr(start, '\n', length - pos));
    size_t line_len = newline ? static_cast<size_t>(newline - start) : length - pos;
    pos += line_len + (newline ? 1 : 0);
    // glibc works on C strings: an embedded NUL ends the line.
    const char* nul = static_cast<const char*>(memchr(start, '\0', line_len));
    Text line{start, nul ? static_cast<size_t>(nul - start) : line_len};

    if (line.n == 0 || line.p[0] == ';' || line.p[0] == '#') continue;
    Text rest;
    if (keyword_matches(line, "domain", &rest)) {
      if (have_env) continue;
      rest = skip_blanks(rest);
      if (rest.n == 0) continue;
      size_t len = 0;
      while (len < rest.n && !is_blank(rest.p[len])) ++len;
      search.clear();
      search.add(rest.p, len);
    } else if (keyword_matches(line, "search", &rest)) {
      if (have_env) continue;
      rest = skip_blanks(rest);
      if (rest.n == 0) continue;
      search.clear();
      search.add_words(rest, false);
    } else if (keyword_matches(line, "nameserver", &rest)) {
      add_nameserver(rest, out);
    } else if (keyword_matches(line, "options", &rest)) {
      apply_options(rest, out);
    }
    // "sortlist" only affects gethostbyname's address order in glibc; ignored.
  }

  if (out->nameserver_count == 0) {
    NameserverAddress& ns = out->nameservers[0];
    ns = NameserverAddress();
    ns.family = AF_INET;
    ns.bytes[0] = 127;
    ns.bytes[3] = 1;
    out->nameserver_count = 1;
  }

  if (!search.any() && hostname != nullptr) {
    const char* dot = strchr(hostname, '.');
    if (dot != nullptr) search.add(dot + 1, strlen(dot + 1));
  }

  if (res_options != nullptr) apply_options(Text{res_options, strlen(res_options)}, out);
}

}  // namespace aresolv
