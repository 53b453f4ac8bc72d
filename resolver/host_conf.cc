// host.conf as glibc 2.36 reads it (resolv/res_hconf.c), without the
// diagnostics glibc prints to stderr for lines it does not understand.
#include <string.h>
#include <strings.h>

#include "resolver/base.h"
#include "resolver/config.h"

namespace aresolv {
namespace {

bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

class Cursor {
 public:
  Cursor(const char* p, size_t n) : p_(p), end_(p + n) {}
  char peek() const { return p_ < end_ ? *p_ : '\0'; }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  const char* pos() const { return p_; }
  void advance(size_t n = 1) { p_ += n; }
  void skip_space() {
    while (p_ < end_ && is_c_space(*p_)) ++p_;
  }
  // glibc's skip_string: up to a space, '#' or ','.
  size_t take_word() {
    const char* start = p_;
    while (p_ < end_ && !is_c_space(*p_) && *p_ != '#' && *p_ != ',') ++p_;
    return static_cast<size_t>(p_ - start);
  }

 private:
  const char* p_;
  const char* end_;
};

// arg_bool: a prefix match of "on" or "off"; anything else changes nothing.
bool parse_bool(Cursor* c, bool* flag) {
  if (c->left() >= 2 && strncasecmp(c->pos(), "on", 2) == 0) {
    c->advance(2);
    *flag = true;
    return true;
  }
  if (c->left() >= 3 && strncasecmp(c->pos(), "off", 3) == 0) {
    c->advance(3);
    *flag = false;
    return true;
  }
  return false;
}

void parse_trim_list(Cursor* c, HostConf* out) {
  do {
    const char* start = c->pos();
    size_t len = c->take_word();
    if (out->trim_count >= kMaxTrimDomains) return;  // glibc complains and stops
    copy_string(out->trim[out->trim_count++], kMaxTrimDomainLength, start, len);
    c->skip_space();
    char d = c->peek();
    if (c->left() > 0 && (d == ',' || d == ';' || d == ':')) {
      c->advance();
      c->skip_space();
      if (c->left() == 0 || c->peek() == '#') return;  // delimiter without a domain
    }
  } while (c->left() > 0 && c->peek() != '#');
}

void parse_line(const char* p, size_t n, HostConf* out) {
  Cursor c(p, n);
  c.skip_space();
  if (c.left() == 0 || c.peek() == '#') return;
  const char* word = c.pos();
  size_t len = c.take_word();
  auto is = [&](const char* s) { return len == strlen(s) && strncasecmp(word, s, len) == 0; };
  c.skip_space();
  // Trailing garbage only draws a diagnostic in glibc.
  if (is("multi")) {
    parse_bool(&c, &out->multi);
  } else if (is("reorder")) {
    parse_bool(&c, &out->reorder);
  } else if (is("trim")) {
    parse_trim_list(&c, out);
  }
  // "order" and unknown keywords are ignored.
}

}  // namespace

void parse_host_conf(const char* text, size_t length, const char* resolv_multi_env, HostConf* out) {
  *out = HostConf();
  // glibc reads the file with fgets into a 256-byte buffer: a longer line is
  // parsed as several lines of 255 bytes.
  constexpr size_t kPiece = 255;
  size_t pos = 0;
  while (pos < length) {
    const char* start = text + pos;
    size_t avail = length - pos < kPiece ? length - pos : kPiece;
    const char* newline = static_cast<const char*>(memchr(start, '\n', avail));
    size_t piece = newline ? static_cast<size_t>(newline - start) + 1 : avail;
    pos += piece;
    size_t line_len = newline ? piece - 1 : piece;
    const char* nul = static_cast<const char*>(memchr(start, '\0', line_len));
    if (nul != nullptr) line_len = static_cast<size_t>(nul - start);
    parse_line(start, line_len, out);
  }
  if (resolv_multi_env != nullptr) {
    Cursor c(resolv_multi_env, strlen(resolv_multi_env));
    parse_bool(&c, &out->multi);
  }
}

}  // namespace aresolv
