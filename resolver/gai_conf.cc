#include "resolver/gai_conf.h"

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "resolver/file_snapshot.h"
#include "resolver/recheck.h"

namespace aresolv {

// glibc's default_labels: RFC 3484 plus its own rows for site-local fec0::/10,
// ULA fc00::/7 and Teredo 2001::/32 (and no 6bone/ORCHID rows of RFC 6724).
// Searched in this order, first match wins.
const PrefixPolicy kDefaultLabels[kDefaultLabelCount] = {
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, 0},
    {{0x20, 0x02}, 16, 2},
    {{0}, 96, 3},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, 4},
    {{0xfe, 0xc0}, 10, 5},
    {{0xfc, 0x00}, 7, 6},
    {{0x20, 0x01, 0x00, 0x00}, 32, 7},
    {{0}, 0, 1},
};

// glibc's default_precedence: RFC 3484's table (::ffff:0:0/96 lowest).
const PrefixPolicy kDefaultPrecedences[kDefaultPrecedenceCount] = {
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, 50},
    {{0x20, 0x02}, 16, 30},
    {{0}, 96, 20},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, 10},
    {{0}, 0, 40},
};

// glibc's default_scopes: 169.254/16 and 127/8 are link-local (2), the rest
// global (14). RFC 6724's "private addresses are global" is not followed here
// either: 10/8 etc. are 14 simply as "the rest".
const ScopePolicy kDefaultScopes[kDefaultScopeCount] = {
    {0xa9fe0000u, 0xffff0000u, 2},
    {0x7f000000u, 0xff000000u, 2},
    {0, 0, 14},
};

void free_gai_policy(GaiPolicy* policy) {
  if (policy->labels != kDefaultLabels) free(const_cast<PrefixPolicy*>(policy->labels));
  if (policy->precedences != kDefaultPrecedences)
    free(const_cast<PrefixPolicy*>(policy->precedences));
  if (policy->scopes != kDefaultScopes) free(const_cast<ScopePolicy*>(policy->scopes));
  *policy = GaiPolicy();
}

namespace {

bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

struct Span {
  const char* data;
  size_t size;
  bool equals(const char* word) const {
    size_t n = strlen(word);
    return n == size && memcmp(data, word, n) == 0;
  }
};

// strtoul(text, &end, 10) over a span that ends where the C string would, as
// far as gaiconf_init's checks can tell: valid means "no ERANGE and *end is
// the terminator". A sign is accepted and negates modulo ULONG_MAX + 1, as
// strtoul does ("-0" is 0; "-1" is ULONG_MAX and fails the range checks later);
// an empty span converts to 0 with *end the terminator, which glibc accepts.
bool parse_unsigned(Span s, unsigned long* value) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size && (s.data[i] == '+' || s.data[i] == '-')) {
    negative = s.data[i] == '-';
    ++i;
  }
  size_t first_digit = i;
  unsigned long v = 0;
  bool overflow = false;
  while (i < s.size && s.data[i] >= '0' && s.data[i] <= '9') {
    unsigned digit = static_cast<unsigned>(s.data[i] - '0');
    if (v > (ULONG_MAX - digit) / 10) overflow = true;
    v = v * 10 + digit;
    ++i;
  }
  if (i == first_digit) {
    // No digits: strtoul leaves end at the start of the text.
    *value = 0;
    return s.size == 0;
  }
  if (i != s.size || overflow) return false;
  *value = negative ? 0ul - v : v;
  return true;
}

bool parse_address(int family, Span s, void* out) {
  char buffer[64];  // the longest valid IPv6 text is 45 characters
  if (s.size >= sizeof buffer) return false;
  memcpy(buffer, s.data, s.size);
  buffer[s.size] = '\0';
  return inet_pton(family, buffer, out) == 1;
}

// Splits "address/bits" at the first '/'. A missing "/bits" makes glibc read
// an uninitialised end pointer (it rejects the row or crashes, depending on
// stack contents); we always reject it.
bool split_prefix(Span token, Span* address, Span* bits) {
  const void* slash = memchr(token.data, '/', token.size);
  if (slash == nullptr) return false;
  size_t at = static_cast<size_t>(static_cast<const char*>(slash) - token.data);
  *address = {token.data, at};
  *bits = {token.data + at + 1, token.size - at - 1};
  return true;
}

// Rows collected in file order; up to a small number without allocating.
template <typename T>
class RowList {
 public:
  RowList() = default;
  RowList(const RowList&) = delete;
  RowList& operator=(const RowList&) = delete;
  ~RowList() { free(heap_); }

  bool push(const T& row) {
    if (count_ == capacity_) {
      int grown = capacity_ ? capacity_ * 2 : 16;
      T* p = static_cast<T*>(realloc(heap_, static_cast<size_t>(grown) * sizeof(T)));
      if (p == nullptr) return false;
      heap_ = p;
      capacity_ = grown;
    }
    heap_[count_++] = row;
    return true;
  }
  int count() const { return count_; }
  const T* rows() const { return heap_; }

 private:
  T* heap_ = nullptr;
  int count_ = 0;
  int capacity_ = 0;
};

bool add_prefix_row(RowList<PrefixPolicy>* list, bool* has_catch_all, Span value1, Span value2) {
  Span address, bits_text;
  if (!split_prefix(value1, &address, &bits_text)) return true;
  PrefixPolicy row;
  unsigned long bits, value;
  if (!parse_address(AF_INET6, address, row.prefix)) return true;
  if (!parse_unsigned(bits_text, &bits) || bits > 128) return true;
  if (!parse_unsigned(value2, &value) || value > static_cast<unsigned long>(INT_MAX)) return true;
  row.bits = static_cast<uint32_t>(bits);
  row.value = static_cast<int32_t>(value);
  if (bits == 0) *has_catch_all = true;
  return list->push(row);
}

bool add_scope_row(RowList<ScopePolicy>* list, bool* has_catch_all, Span value1, Span value2) {
  Span address, bits_text;
  if (!split_prefix(value1, &address, &bits_text)) return true;
  uint8_t v6[16];
  unsigned long bits, value;
  if (parse_address(AF_INET6, address, v6)) {
    // Only ::ffff:a.b.c.d/96..128 counts; other IPv6 text is not tried as IPv4.
    if (!IN6_IS_ADDR_V4MAPPED(reinterpret_cast<const struct in6_addr*>(v6))) return true;
    if (!parse_unsigned(bits_text, &bits) || bits < 96 || bits > 128) return true;
  } else if (parse_address(AF_INET, address, v6 + 12)) {
    if (!parse_unsigned(bits_text, &bits) || bits > 32) return true;
    bits += 96;
  } else {
    return true;
  }
  if (!parse_unsigned(value2, &value) || value > static_cast<unsigned long>(INT_MAX)) return true;
  ScopePolicy row;
  row.netmask = bits != 96 ? 0xffffffffu << (128 - bits) : 0;
  uint32_t a;
  memcpy(&a, v6 + 12, 4);
  row.address = ntohl(a) & row.netmask;
  row.scope = static_cast<int32_t>(value);
  if (bits == 96) *has_catch_all = true;
  return list->push(row);
}

// Copies the rows (plus glibc's catch-all when none has a zero prefix) and
// sorts them stably, longest prefix first, as gaiconf_init's qsort (a merge
// sort in glibc) does. Returns nullptr on allocation failure.
template <typename T, typename Longer>
T* build_table(const RowList<T>& list, bool has_catch_all, const T& catch_all, int* count,
               Longer longer) {
  int n = list.count() + (has_catch_all ? 0 : 1);
  T* table = static_cast<T*>(malloc(static_cast<size_t>(n) * sizeof(T)));
  if (table == nullptr) return nullptr;
  memcpy(table, list.rows(), static_cast<size_t>(list.count()) * sizeof(T));
  if (!has_catch_all) table[n - 1] = catch_all;
  for (int i = 1; i < n; ++i) {
    T moving = table[i];
    int j = i;
    while (j > 0 && longer(moving, table[j - 1])) {
      table[j] = table[j - 1];
      --j;
    }
    table[j] = moving;
  }
  *count = n;
  return table;
}

}  // namespace

bool parse_gai_conf(const char* text, size_t length, GaiPolicy* out) {
  free_gai_policy(out);
  RowList<PrefixPolicy> labels, precedences;
  RowList<ScopePolicy> scopes;
  bool labels_catch_all = false, precedences_catch_all = false, scopes_catch_all = false;

  size_t position = 0;
  while (position < length) {
    const char* line = text + position;
    const void* newline = memchr(line, '\n', length - position);
    size_t line_length =
        newline ? static_cast<size_t>(static_cast<const char*>(newline) - line) : length - position;
    position += line_length + 1;
    // glibc works on the C string: a NUL byte ends the line as much as '#'.
    for (size_t i = 0; i < line_length; ++i) {
      if (line[i] == '#' || line[i] == '\0') {
        line_length = i;
        break;
      }
    }
    Span tokens[3] = {{line, 0}, {line, 0}, {line, 0}};
    size_t i = 0;
    for (Span& token : tokens) {
      while (i < line_length && is_c_space(line[i])) ++i;
      token.data = line + i;
      while (i < line_length && !is_c_space(line[i])) ++i;
      token.size = static_cast<size_t>(line + i - token.data);
    }
    const Span& command = tokens[0];
    // glibc's "at least two values" check measures from the command, so only
    // a blank line is skipped; a lone keyword goes on with empty values.
    if (command.size == 0) continue;
    bool ok = true;
    if (command.equals("label")) {
      ok = add_prefix_row(&labels, &labels_catch_all, tokens[1], tokens[2]);
    } else if (command.equals("precedence")) {
      ok = add_prefix_row(&precedences, &precedences_catch_all, tokens[1], tokens[2]);
    } else if (command.equals("scopev4")) {
      ok = add_scope_row(&scopes, &scopes_catch_all, tokens[1], tokens[2]);
    } else if (command.equals("reload")) {
      bool yes = tokens[1].equals("yes");
      out->reload = yes ? GaiReload::kYes : GaiReload::kNo;
      if (yes) out->reload_yes_seen = true;
    }
    if (!ok) {
      free_gai_policy(out);
      return false;
    }
  }

  auto longer_prefix = [](const PrefixPolicy& a, const PrefixPolicy& b) { return a.bits > b.bits; };
  auto longer_mask = [](const ScopePolicy& a, const ScopePolicy& b) {
    return a.netmask > b.netmask;
  };
  GaiReload reload = out->reload;
  bool reload_yes_seen = out->reload_yes_seen;
  if (labels.count() > 0) {
    PrefixPolicy catch_all = {{0}, 0, 1};
    int n = 0;
    PrefixPolicy* t = build_table(labels, labels_catch_all, catch_all, &n, longer_prefix);
    if (t == nullptr) goto out_of_memory;
    out->labels = t;
    out->label_count = n;
  }
  if (precedences.count() > 0) {
    PrefixPolicy catch_all = {{0}, 0, 40};
    int n = 0;
    PrefixPolicy* t = build_table(precedences, precedences_catch_all, catch_all, &n, longer_prefix);
    if (t == nullptr) goto out_of_memory;
    out->precedences = t;
    out->precedence_count = n;
  }
  if (scopes.count() > 0) {
    ScopePolicy catch_all = {0, 0, 14};
    int n = 0;
    ScopePolicy* t = build_table(scopes, scopes_catch_all, catch_all, &n, longer_mask);
    if (t == nullptr) goto out_of_memory;
    out->scopes = t;
    out->scope_count = n;
  }
  return true;

out_of_memory:
  free_gai_policy(out);
  out->reload = reload;
  out->reload_yes_seen = reload_yes_seen;
  return false;
}

namespace {

// The address as the 16 bytes glibc's match_prefix compares: IPv4 mapped.
void policy_bytes(const Address& address, uint8_t out[16]) {
  if (address.family == AF_INET) {
    memset(out, 0, 10);
    out[10] = 0xff;
    out[11] = 0xff;
    memcpy(out + 12, address.bytes, 4);
  } else {
    memcpy(out, address.bytes, 16);
  }
}

int match_prefix(const PrefixPolicy* table, int count, const Address& address, int fallback) {
  if (address.family != AF_INET && address.family != AF_INET6) return fallback;
  uint8_t bytes[16];
  policy_bytes(address, bytes);
  for (int i = 0; i < count; ++i) {
    uint32_t bits = table[i].bits;
    uint32_t whole = bits / 8;
    if (memcmp(table[i].prefix, bytes, whole) != 0) continue;
    uint32_t rest = bits % 8;
    if (rest != 0) {
      uint8_t mask = static_cast<uint8_t>(0xff00u >> rest);
      if ((table[i].prefix[whole] & mask) != (bytes[whole] & mask)) continue;
    }
    return table[i].value;
  }
  // Unreachable with glibc's tables (they always end in a /0 row).
  return fallback;
}

}  // namespace

int gai_label(const GaiPolicy& policy, const Address& address) {
  return match_prefix(policy.labels, policy.label_count, address, INT_MAX);
}

int gai_precedence(const GaiPolicy& policy, const Address& address) {
  return match_prefix(policy.precedences, policy.precedence_count, address, 0);
}

int gai_scope(const GaiPolicy& policy, const Address& address) {
  if (address.family == AF_INET6) {
    const uint8_t* b = address.bytes;
    if (b[0] == 0xff) return b[1] & 0x0f;  // multicast: the scope field
    auto* a6 = reinterpret_cast<const struct in6_addr*>(b);
    // RFC 4291 2.5.3: loopback is treated like link-local.
    if (IN6_IS_ADDR_LINKLOCAL(a6) || IN6_IS_ADDR_LOOPBACK(a6)) return 2;
    if (IN6_IS_ADDR_SITELOCAL(a6)) return 5;
    return 14;  // ::ffff:a.b.c.d included: the scopev4 table is for AF_INET only
  }
  if (address.family == AF_INET) {
    uint32_t a;
    memcpy(&a, address.bytes, 4);
    a = ntohl(a);
    for (int i = 0; i < policy.scope_count; ++i)
      if ((a & policy.scopes[i].netmask) == policy.scopes[i].address) return policy.scopes[i].scope;
    return 14;  // unreachable: the table ends in a 0/0 row
  }
  return 15;
}

// ---- the process-wide cache ------------------------------------------------

namespace {

struct PolicyCache {
  Mutex mutex;
  GaiPolicy policy;
  bool loaded = false;
  char path[256] = {0};
  // glibc's gaiconf_reload_flag, _ever_set and gaiconf_mtime.
  bool reload = false;
  bool reload_ever_set = false;
  struct timespec mtime = {0, 0};
};

LazyGlobal<PolicyCache> g_cache_storage;  // built by ensure_ready()
PolicyCache& g_cache = g_cache_storage.value;
pthread_once_t g_ready_once = PTHREAD_ONCE_INIT;

// The lock is held while the policy is (re)loaded, so a child forked then
// could find half-freed tables behind a reset lock: fork() waits instead.
// Nothing else is locked while this lock is held, so the wait is short.
void lock_before_fork() { g_cache.mutex.lock(); }
void unlock_after_fork() { g_cache.mutex.unlock(); }
void set_up_cache() {
  g_cache_storage.build();
  pthread_atfork(lock_before_fork, unlock_after_fork, unlock_after_fork);
}
void ensure_ready() { pthread_once(&g_ready_once, set_up_cache); }

void load_policy(const char* path) {
  PolicyCache& c = g_cache;
  FileSnapshot snapshot;
  bool read = snapshot.load(path) && snapshot.identity().exists;
  bool parsed = read && parse_gai_conf(snapshot.data(), snapshot.size(), &c.policy);
  if (!parsed) {
    // glibc's no_file: back to the built-in tables, reload flag untouched.
    free_gai_policy(&c.policy);
    return;
  }
  if (c.policy.reload != GaiReload::kUnset) c.reload = c.policy.reload == GaiReload::kYes;
  if (c.policy.reload_yes_seen) c.reload_ever_set = true;
  c.mtime = snapshot.identity().mtime;
}

}  // namespace

CurrentGaiPolicy::CurrentGaiPolicy(const char* path) : policy_(&g_cache.policy) {
  ensure_ready();
  PolicyCache& c = g_cache;
  c.mutex.lock();
  if (!c.loaded || strncmp(c.path, path, sizeof c.path) != 0) {
    copy_string(c.path, sizeof c.path, path);
    c.loaded = true;
    load_policy(path);
    if (c.reload_ever_set && c.reload) limit_answer_repeat(coarse_monotonic_ms());
    return;
  }
  if (c.reload_ever_set && c.reload) {
    // glibc looks at the file on every call: so must a repeated answer.
    limit_answer_repeat(coarse_monotonic_ms());
    struct stat st;
    if (stat(path, &st) != 0 || st.st_mtim.tv_sec != c.mtime.tv_sec ||
        st.st_mtim.tv_nsec != c.mtime.tv_nsec)
      load_policy(path);
  }
}

CurrentGaiPolicy::~CurrentGaiPolicy() { g_cache.mutex.unlock(); }

void gai_policy_reset_after_fork() {
  ensure_ready();
  g_cache.mutex.reset_after_fork();
}

void gai_policy_forget() {
  ensure_ready();
  PolicyCache& c = g_cache;
  LockGuard lock(c.mutex);
  free_gai_policy(&c.policy);
  c.loaded = false;
  c.path[0] = '\0';
  c.reload = false;
  c.reload_ever_set = false;
  c.mtime = {0, 0};
}

}  // namespace aresolv
