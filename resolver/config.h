// Configuration as glibc reads it: resolv.conf (with LOCALDOMAIN and
// RES_OPTIONS), the hosts line of nsswitch.conf, host.conf, and our own
// ARESOLV_* settings. Every parser takes text so that it can be unit-tested and
// fuzzed; the *_current() accessors read the system files, cache the result
// and re-read a file only when its identity (device, inode, size, mtime)
// changes, as glibc's resolv_conf.c does since 2.26.
#pragma once

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "resolver/records.h"

namespace aresolv {

// ---- resolv.conf ---------------------------------------------------------

constexpr int kMaxNameservers = 3;     // MAXNS: glibc ignores nameserver lines past the third
constexpr int kMaxSearchDomains = 32;  // glibc 2.26+ has no fixed limit; we keep this many
constexpr int kMaxSearchListChars = 1024;

// Every member has an initializer so that the configuration records can live
// in constant-initialized globals (no global constructors in the library).
struct NameserverAddress {
  int family = 0;          // AF_INET or AF_INET6
  uint8_t bytes[16] = {};  // network order
  uint32_t scope_id = 0;   // for link-local IPv6 nameservers written as fe80::1%eth0
  uint16_t port = 53;      // host order
};

// The search domains with their text. Entries are offsets into `storage`,
// not pointers, so that ResolvConf stays trivially copyable: a plain copy (or
// memcpy) is a complete, independent snapshot.
struct SearchList {
  uint16_t offsets[kMaxSearchDomains] = {};
  char storage[kMaxSearchListChars] = {0};

  const char* operator[](int i) const { return storage + offsets[i]; }
};

struct ResolvConf {
  NameserverAddress nameservers[kMaxNameservers];
  int nameserver_count = 0;
  // Search list in order: search[i] for i < search_count. Entries may be empty
  // strings (LOCALDOMAIN=" a", or a host name ending in '.'), as in glibc.
  SearchList search;
  int search_count = 0;
  // glibc keeps any number of search domains; we keep what fits in SearchList.
  bool search_truncated = false;

  // options, defaults and limits as in glibc's res_init.c. The values are the
  // ones glibc's _res holds after res_init: ndots is a 4-bit field there, so
  // "ndots:-1" gives 15; timeout and attempts are plain ints there and may be
  // zero or negative ("attempts:0" sends no query at all; res_send.c uses at
  // least one second whenever timeout << server-index is <= 0).
  int ndots = 1;     // 0..15 (RES_MAXNDOTS)
  int timeout = 5;   // seconds, capped at 30 (RES_MAXRETRANS)
  int attempts = 2;  // capped at 5 (RES_MAXRETRY)
  bool rotate = false;
  bool edns0 = false;
  bool single_request = false;
  bool single_request_reopen = false;
  bool no_tld_query = false;
  bool use_vc = false;
  bool no_aaaa = false;  // glibc 2.36
  bool trust_ad = false;
  bool no_reload = false;  // once loaded, the file is not checked again
  // Only a res_n* caller can clear RES_RECURSE: queries then go out without RD.
  bool no_recurse = false;
};

// Parses resolv.conf text. `localdomain` and `res_options` are the values of
// the LOCALDOMAIN and RES_OPTIONS environment variables (nullptr when unset)
// and override the file as in glibc. `hostname` supplies the default search
// domain (the part after the first dot) when the file names none. A file with
// no usable nameserver line gets 127.0.0.1, as glibc does.
void parse_resolv_conf(const char* text, size_t length, const char* localdomain,
                       const char* res_options, const char* hostname, ResolvConf* out);

// glibc's __inet_aton_exact on text that need not be NUL-terminated: the
// inet_aton forms ("127.1", "0x7f.0.0.1", "017700000001") with nothing after.
// `out` receives the address in network order.
bool parse_ipv4_exact(const char* text, size_t length, uint8_t out[4]);

// ---- nsswitch.conf hosts line ------------------------------------------

enum class HostsSource : uint8_t {
  kFiles,
  kDns,         // "dns", and "resolve" (systemd-resolved) which we answer as dns
  kMyHostname,  // systemd's nss-myhostname, answered natively
  kSkipped,     // any other module: never loaded; behaves as NSS_STATUS_UNAVAIL
};

enum class NssAction : uint8_t { kContinue, kReturn, kMerge };

// Index into SourceEntry::actions
enum NssStatusIndex { kNssSuccess = 0, kNssNotFound, kNssUnavail, kNssTryAgain, kNssStatusCount };

constexpr int kMaxHostsSources = 16;

struct SourceEntry {
  HostsSource source = HostsSource::kSkipped;
  char name[32] = {};  // as written, for diagnostics ("mdns4_minimal")
  // glibc's defaults: SUCCESS=return, everything else continue.
  NssAction actions[kNssStatusCount] = {NssAction::kReturn, NssAction::kContinue,
                                        NssAction::kContinue, NssAction::kContinue};
};

struct HostsLookupOrder {
  SourceEntry sources[kMaxHostsSources];
  int count = 0;  // may be 0: "hosts:" with an empty list (getaddrinfo then gives EAI_NONAME)
  // glibc could not load nsswitch.conf because a service list of any database
  // it knows has a syntax error ("passwd: files [FOO=bar]"): glibc's
  // getaddrinfo then fails with EAI_SYSTEM and errno EINVAL, and `sources` is empty.
  bool load_failed = false;
  bool truncated = false;  // more than kMaxHostsSources sources were listed
};

// Parses nsswitch.conf text and returns the order of its "hosts:" line. A file
// without one (or an absent file) gives glibc 2.36's built-in default for
// hosts, "files dns" (nss/nss_database.c). As in glibc, there are no comments
// ("hosts: dns # files" lists "#" and "files" as further sources), a database
// name may be followed by spaces and colons in any mix, the last line of a
// file is ignored unless it ends with a newline, and a later "hosts" line
// replaces an earlier one.
void parse_nsswitch_hosts(const char* text, size_t length, HostsLookupOrder* out);

// The order glibc uses without a hosts line ("files dns").
void default_hosts_order(HostsLookupOrder* out);

// ---- host.conf ------------------------------------------------------------

constexpr int kMaxTrimDomains = 4;  // TRIMDOMAINS_MAX
constexpr int kMaxTrimDomainLength = 256;

struct HostConf {
  bool multi = false;  // "multi on": return every matching /etc/hosts line, not only the first
  // Parsed for completeness; glibc applies them only to gethostbyname*
  // (reorder) and gethostbyaddr* (trim) results.
  bool reorder = false;
  int trim_count = 0;
  char trim[kMaxTrimDomains][kMaxTrimDomainLength] = {};
};

// Parses host.conf as glibc's res_hconf.c does (keywords case-insensitive,
// lines read in 255-byte pieces as fgets into glibc's 256-byte buffer does;
// "multi on"/"off" are prefix matches, so "multi online" sets multi).
// RESOLV_MULTI in the environment overrides, when `resolv_multi_env` is
// non-null. glibc prints diagnostics for bad lines to stderr; we do not.
void parse_host_conf(const char* text, size_t length, const char* resolv_multi_env, HostConf* out);

// ---- our own settings -----------------------------------------------------

struct Settings {
  bool secure_execution = false;  // AT_SECURE: our variables below were ignored
  // Paths, overridable for tests (ignored in secure-execution processes).
  const char* resolv_conf_path = "/etc/resolv.conf";
  const char* hosts_path = "/etc/hosts";
  const char* services_path = "/etc/services";
  const char* nsswitch_path = "/etc/nsswitch.conf";
  const char* host_conf_path =
      "/etc/host.conf";  // ARESOLV_HOST_CONF, else glibc's RESOLV_HOST_CONF
  const char* gai_conf_path = "/etc/gai.conf";
  // glibc's own variables, read once (the loader strips LOCALDOMAIN,
  // RES_OPTIONS, HOSTALIASES and RESOLV_HOST_CONF from setuid processes
  // already; we also ignore them there). RESOLV_MULTI is not on the loader's
  // list and glibc honours it in setuid processes, so we do too.
  const char* localdomain = nullptr;   // LOCALDOMAIN
  const char* res_options = nullptr;   // RES_OPTIONS
  const char* resolv_multi = nullptr;  // RESOLV_MULTI (also when secure_execution)
  const char* hostaliases = nullptr;   // HOSTALIASES
  bool debug = false;                  // ARESOLV_DEBUG=1
  // The kill switch and the NSS fallback by environment (shim/passthrough.h);
  // their files under /etc/aresolv work in secure-execution processes too.
  bool disabled = false;      // ARESOLV_DISABLE=1
  bool nss_fallback = false;  // ARESOLV_NSS_FALLBACK=1
  // The DNS cache and the one-second memos of the hot paths
  // (resolver/dns_cache.h, resolver/recheck.h). ARESOLV_CACHE=0 turns both
  // off; ARESOLV_CACHE_SIZE is in bytes (suffix K or M allowed, 0: nothing is
  // kept); the TTL caps are in seconds.
  bool cache_enabled = true;                 // ARESOLV_CACHE
  size_t cache_max_bytes = size_t{1} << 20;  // ARESOLV_CACHE_SIZE
  uint32_t cache_max_ttl = 3600;             // ARESOLV_CACHE_MAX_TTL
  uint32_t cache_max_negative_ttl = 900;     // ARESOLV_CACHE_MAX_NEGATIVE_TTL
};

// The settings of this process, read from the environment on first call and
// never again (Go programs call os.Setenv concurrently with lookups).
const Settings& settings();

// Current parsed configuration. The returned copies are snapshots: they stay
// valid while configuration changes under them. resolv.conf and nsswitch.conf
// are re-read when their identity changes (one stat per call; none once
// resolv.conf said "options no-reload"), and the default search domain comes
// from gethostname() at the time resolv.conf is (re)read, as in glibc.
// host.conf is read once per process, as glibc's res_hconf.c does.
void current_resolv_conf(ResolvConf* out);
void current_hosts_order(HostsLookupOrder* out);
HostConf current_host_conf();

}  // namespace aresolv
