// /etc/gai.conf and the RFC 3484 policy tables glibc 2.36's getaddrinfo sorts
// with (sysdeps/posix/getaddrinfo.c: default_labels, default_precedence,
// default_scopes, gaiconf_init, gaiconf_reload).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "resolver/base.h"
#include "resolver/records.h"

namespace aresolv {

// One "label" or "precedence" row. Tables are searched in order and the first
// row whose leading `bits` bits equal the address's wins; every table ends in
// a row that matches everything.
struct PrefixPolicy {
  uint8_t prefix[16];
  uint32_t bits;  // 0..128
  int32_t value;
};

// One "scopev4" row, host byte order: an IPv4 address a has this scope when
// (a & netmask) == address.
struct ScopePolicy {
  uint32_t address;
  uint32_t netmask;
  int32_t scope;
};

// The last "reload" line of the file, if any: glibc only changes its reload
// flag when the file says something about it.
enum class GaiReload : uint8_t { kUnset, kNo, kYes };

constexpr int kDefaultLabelCount = 8;
constexpr int kDefaultPrecedenceCount = 5;
constexpr int kDefaultScopeCount = 3;
extern const PrefixPolicy kDefaultLabels[kDefaultLabelCount];
extern const PrefixPolicy kDefaultPrecedences[kDefaultPrecedenceCount];
extern const ScopePolicy kDefaultScopes[kDefaultScopeCount];

// Plain (trivially destructible, so it can live in a global without a
// constructor); a table that does not point at the built-in one is malloc'ed
// and owned: release it with free_gai_policy().
struct GaiPolicy {
  const PrefixPolicy* labels = kDefaultLabels;
  int label_count = kDefaultLabelCount;
  const PrefixPolicy* precedences = kDefaultPrecedences;
  int precedence_count = kDefaultPrecedenceCount;
  const ScopePolicy* scopes = kDefaultScopes;
  int scope_count = kDefaultScopeCount;
  GaiReload reload = GaiReload::kUnset;
  bool reload_yes_seen = false;  // any "reload yes" line (glibc's reload_flag_ever_set)
};

// Frees the owned tables and puts the built-in ones back.
void free_gai_policy(GaiPolicy* policy);

// Owns a GaiPolicy (for tests and short-lived users).
class ScopedGaiPolicy {
 public:
  ScopedGaiPolicy() = default;
  ~ScopedGaiPolicy() { free_gai_policy(&policy_); }
  ScopedGaiPolicy(const ScopedGaiPolicy&) = delete;
  ScopedGaiPolicy& operator=(const ScopedGaiPolicy&) = delete;
  GaiPolicy* get() { return &policy_; }
  const GaiPolicy& operator*() const { return policy_; }
  const GaiPolicy* operator->() const { return &policy_; }

 private:
  GaiPolicy policy_;
};

// Parses gai.conf text (need not be NUL-terminated) as gaiconf_init does:
// "label P/N V", "precedence P/N V", "scopev4 A/N S" (A IPv4 or ::ffff:-
// mapped IPv6), "reload yes|no"; '#' starts a comment; invalid rows are
// skipped silently. A table with any valid row replaces the built-in one: its
// rows keep file order, get a catch-all row (label 1, precedence 40, scope 14)
// when none has a zero-length prefix, and are stably sorted longest prefix
// first. `out` is freed first. Returns false on allocation failure, leaving
// the built-in tables (glibc's no_file path).
bool parse_gai_conf(const char* text, size_t length, GaiPolicy* out);

// The policy values of one address (AF_INET addresses are looked up as
// ::ffff:a.b.c.d in the label and precedence tables; their scope comes from
// the scopev4 table; IPv6 scope from the address type, ::ffff: included).
int gai_label(const GaiPolicy& policy, const Address& address);
int gai_precedence(const GaiPolicy& policy, const Address& address);
int gai_scope(const GaiPolicy& policy, const Address& address);

// The process-wide policy for the file at `path`, held locked while this
// object lives. Like glibc, the file is read on first use and then only
// re-read when it said "reload yes" and its modification time changed (or it
// vanished); a different `path` than last time reads that file.
class CurrentGaiPolicy {
 public:
  explicit CurrentGaiPolicy(const char* path);
  ~CurrentGaiPolicy();
  CurrentGaiPolicy(const CurrentGaiPolicy&) = delete;
  CurrentGaiPolicy& operator=(const CurrentGaiPolicy&) = delete;

  const GaiPolicy& get() const { return *policy_; }

 private:
  const GaiPolicy* policy_;
};

// For the child after fork(): another thread may have held the cache's lock.
void gai_policy_reset_after_fork();

// Forgets the cached file (tests).
void gai_policy_forget();

}  // namespace aresolv
