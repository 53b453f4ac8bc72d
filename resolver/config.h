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

constexpr int kMaxNameservers = 3;       // MAXNS: glibc ignores nameserver lines past the third
constexpr int kMaxSearchDomains = 32;    // glibc 2.26+ has no fixed limit; we keep this many
constexpr int kMaxSearchListChars = 1024;

struct NameserverAddress {
  int family;         // AF_INET or AF_INET6
  uint8_t bytes[16];  // network order
  uint32_t scope_id;  // for link-local IPv6 nameservers written as fe80::1%eth0
  uint16_t port;      // host order; 53
};

struct ResolvConf {
  NameserverAddress nameservers[kMaxNameservers];
  int nameserver_count = 0;
  // Search list in order; the strings live in `search_storage`.
  const char* search[kMaxSearchDomains] = {};
  int search_count = 0;
  char search_storage[kMaxSearchListChars] = {0};

  // options, defaults and limits as in glibc's res_init.c
  int ndots = 1;         // capped at 15 (RES_MAXNDOTS)
  int timeout = 5;       // seconds, capped at 30 (RES_MAXRETRANS)
  int attempts = 2;      // capped at 5 (RES_MAXRETRY)
  bool rotate = false;
  bool edns0 = false;
  bool single_request = false;
  bool single_request_reopen = false;
  bool no_tld_query = false;
  bool use_vc = false;
  bool no_aaaa = false;  // glibc 2.36
  bool trust_ad = false;
  bool no_reload = false;
};

// Parses resolv.conf text. `localdomain` and `res_options` are the values of
// the LOCALDOMAIN and RES_OPTIONS environment variables (nullptr when unset)
// and override the file as in glibc. `hostname` supplies the default search
// domain (the part after the first dot) when the file names none. A file with
// no usable nameserver line gets 127.0.0.1, as glibc does.
void parse_resolv_conf(const char* text, size_t length, const char* localdomain,
                       const char* res_options, const char* hostname, ResolvConf* out);

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
  HostsSource source;
  char name[32];  // as written, for diagnostics ("mdns4_minimal")
  // glibc's defaults: SUCCESS=return, everything else continue.
  NssAction actions[kNssStatusCount];
};

struct HostsLookupOrder {
  SourceEntry sources[kMaxHostsSources];
  int count = 0;
};

// Parses nsswitch.conf text and returns the order of its "hosts:" line. A file
// without one gives glibc's built-in default ("dns [!UNAVAIL=return] files").
void parse_nsswitch_hosts(const char* text, size_t length, HostsLookupOrder* out);

// ---- host.conf ------------------------------------------------------------

struct HostConf {
  bool multi = false;  // "multi on": return every matching /etc/hosts line, not only the first
};

// Parses host.conf as glibc's res_hconf.c does (keywords case-insensitive,
// RESOLV_MULTI in the environment overrides, when `resolv_multi_env` is non-null).
void parse_host_conf(const char* text, size_t length, const char* resolv_multi_env, HostConf* out);

// ---- our own settings -----------------------------------------------------

struct Settings {
  bool secure_execution = false;  // AT_SECURE: our variables below were ignored
  // Paths, overridable for tests (ignored in secure-execution processes).
  const char* resolv_conf_path = "/etc/resolv.conf";
  const char* hosts_path = "/etc/hosts";
  const char* services_path = "/etc/services";
  const char* nsswitch_path = "/etc/nsswitch.conf";
  const char* host_conf_path = "/etc/host.conf";
  const char* gai_conf_path = "/etc/gai.conf";
  // glibc's own variables, read once (the loader strips them from setuid
  // processes already; we also ignore them there).
  const char* localdomain = nullptr;   // LOCALDOMAIN
  const char* res_options = nullptr;   // RES_OPTIONS
  const char* resolv_multi = nullptr;  // RESOLV_MULTI
  const char* hostaliases = nullptr;   // HOSTALIASES
  bool debug = false;                  // ARESOLV_DEBUG=1
};

// The settings of this process, read from the environment on first call and
// never again (Go programs call os.Setenv concurrently with lookups).
const Settings& settings();

// Current parsed configuration, re-read when the file changed. The returned
// copies are snapshots: they stay valid while configuration changes under them.
void current_resolv_conf(ResolvConf* out);
void current_hosts_order(HostsLookupOrder* out);
HostConf current_host_conf();

}  // namespace aresolv
