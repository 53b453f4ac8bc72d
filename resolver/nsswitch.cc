// The hosts line of nsswitch.conf as glibc 2.36 reads it (nss/nss_database.c,
// nss/nss_action_parse.c). A syntax error in the service list of any database
// glibc knows makes glibc reject the whole file, so every such line is parsed,
// not only the hosts line.
#include <string.h>
#include <strings.h>

#include "resolver/base.h"
#include "resolver/config.h"

namespace aresolv {
namespace {

// nss/databases.def
const char* const kDatabaseNames[] = {
    "aliases",    "ethers",   "group",    "group_compat", "gshadow",       "hosts",
    "initgroups", "netgroup", "networks", "passwd",       "passwd_compat", "protocols",
    "publickey",  "rpc",      "services", "shadow",       "shadow_compat",
};

bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

class Cursor {
 public:
  Cursor(const char* p, size_t n) : p_(p), end_(p + n) {}
  bool at_end() const { return p_ == end_; }
  char peek() const { return p_ < end_ ? *p_ : '\0'; }
  const char* pos() const { return p_; }
  void advance() { ++p_; }
  void skip_space() {
    while (p_ < end_ && is_c_space(*p_)) ++p_;
  }
  // Advances over characters that are not spaces and not in `stops`.
  size_t take_word(const char* stops) {
    const char* start = p_;
    while (p_ < end_ && !is_c_space(*p_) && strchr(stops, *p_) == nullptr) ++p_;
    return static_cast<size_t>(p_ - start);
  }

 private:
  const char* p_;
  const char* end_;
};

bool word_is(const char* p, size_t n, const char* word) {
  return n == strlen(word) && strncasecmp(p, word, n) == 0;
}

HostsSource source_kind(const char* p, size_t n) {
  // Module names are file names (libnss_<name>.so.2): case matters.
  auto is = [&](const char* s) { return n == strlen(s) && memcmp(p, s, n) == 0; };
  if (is("files")) return HostsSource::kFiles;
  if (is("dns") || is("resolve")) return HostsSource::kDns;
  if (is("myhostname")) return HostsSource::kMyHostname;
  return HostsSource::kSkipped;
}

void set_all(SourceEntry* e, NssAction a) {
  for (NssAction& x : e->actions) x = a;
}

// `( <source> ( "[" "!"? (<status> "=" <action> )+ "]" )? )*`. Returns false on
// a syntax error. `out` may be null to only validate.
bool parse_service_list(Cursor c, HostsLookupOrder* out) {
  for (;;) {
    c.skip_space();
    if (c.at_end()) return true;
    const char* name = c.pos();
    size_t name_len = c.take_word("[");
    if (name_len == 0) return true;  // a '[' where a name belongs ends the list

    SourceEntry entry;
    entry.source = source_kind(name, name_len);
    copy_string(entry.name, sizeof entry.name, name, name_len);
    set_all(&entry, NssAction::kContinue);
    entry.actions[kNssSuccess] = NssAction::kReturn;

    c.skip_space();
    if (c.peek() == '[' && !c.at_end()) {
      c.advance();
      c.skip_space();
      do {
        bool negate = c.peek() == '!' && !c.at_end();
        if (negate) c.advance();
        const char* status_name = c.pos();
        size_t status_len = c.take_word("=]");
        int status;
        if (word_is(status_name, status_len, "SUCCESS")) {
          status = kNssSuccess;
        } else if (word_is(status_name, status_len, "UNAVAIL")) {
          status = kNssUnavail;
        } else if (word_is(status_name, status_len, "NOTFOUND")) {
          status = kNssNotFound;
        } else if (word_is(status_name, status_len, "TRYAGAIN")) {
          status = kNssTryAgain;
        } else {
          return false;
        }
        c.skip_space();
        if (c.at_end() || c.peek() != '=') return false;
        c.advance();
        c.skip_space();
        const char* action_name = c.pos();
        size_t action_len = c.take_word("=]");
        NssAction action;
        if (word_is(action_name, action_len, "RETURN")) {
          action = NssAction::kReturn;
        } else if (word_is(action_name, action_len, "CONTINUE")) {
          action = NssAction::kContinue;
        } else if (word_is(action_name, action_len, "MERGE")) {
          action = NssAction::kMerge;
        } else {
          return false;
        }
        if (negate) {
          NssAction saved = entry.actions[status];
          set_all(&entry, action);
          entry.actions[status] = saved;
        } else {
          entry.actions[status] = action;
        }
        c.skip_space();
      } while (c.at_end() || c.peek() != ']');
      c.advance();
    }

    if (out != nullptr) {
      if (out->count < kMaxHostsSources) {
        out->sources[out->count++] = entry;
      } else {
        out->truncated = true;
      }
    }
  }
}

int database_index(const char* p, size_t n) {
  for (size_t i = 0; i < sizeof kDatabaseNames / sizeof kDatabaseNames[0]; ++i) {
    if (n == strlen(kDatabaseNames[i]) && memcmp(p, kDatabaseNames[i], n) == 0)
      return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

void default_hosts_order(HostsLookupOrder* out) {
  *out = HostsLookupOrder();
  static const char kDefault[] = "files dns";
  parse_service_list(Cursor(kDefault, sizeof kDefault - 1), out);
}

void parse_nsswitch_hosts(const char* text, size_t length, HostsLookupOrder* out) {
  *out = HostsLookupOrder();
  bool have_hosts = false;
  HostsLookupOrder candidate;  // parsed into a scratch copy: a later hosts line replaces it

  size_t pos = 0;
  while (pos < length) {
    const char* start = text + pos;
    const char* newline = static_cast<const char*>(memchr(start, '\n', length - pos));
    // glibc's loop stops once getline reports end-of-file, before it looks at
    // a last line that has no newline.
    if (newline == nullptr) break;
    size_t line_len = static_cast<size_t>(newline - start) + 1;  // the newline is a space to glibc
    pos += line_len;
    const char* nul = static_cast<const char*>(memchr(start, '\0', line_len));
    if (nul != nullptr) line_len = static_cast<size_t>(nul - start);

    Cursor c(start, line_len);
    c.skip_space();
    const char* name = c.pos();
    size_t name_len = c.take_word(":");
    if (c.at_end() || name_len == 0) continue;
    while (!c.at_end() && (is_c_space(c.peek()) || c.peek() == ':')) c.advance();

    int db = database_index(name, name_len);
    if (db < 0) continue;
    bool is_hosts = strcmp(kDatabaseNames[db], "hosts") == 0;
    if (is_hosts) candidate = HostsLookupOrder();
    if (!parse_service_list(c, is_hosts ? &candidate : nullptr)) {
      *out = HostsLookupOrder();
      out->load_failed = true;
      return;
    }
    if (is_hosts) {
      *out = candidate;
      have_hosts = true;
    }
  }
  if (!have_hosts) default_hosts_order(out);
}

}  // namespace aresolv
