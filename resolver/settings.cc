// Process settings from the environment, and the cached system configuration.
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <atomic>

#include "resolver/base.h"
#include "resolver/config.h"
#include "resolver/dns_cache.h"
#include "resolver/file_snapshot.h"
#include "resolver/recheck.h"

namespace aresolv {
namespace {

LazyGlobal<Settings> g_settings_storage;  // built by read_settings()
Settings& g_settings = g_settings_storage.value;
pthread_once_t g_settings_once = PTHREAD_ONCE_INIT;
std::atomic<bool> g_settings_ready{false};

// Programs change their environment later (and Go's os.Setenv does so from
// other threads), so the values are copied, never kept as pointers into environ.
const char* copy_env(const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return nullptr;
  size_t len = strlen(value);
  char* copy = static_cast<char*>(malloc(len + 1));
  if (copy == nullptr) return nullptr;  // as if unset: the process is out of memory anyway
  memcpy(copy, value, len + 1);
  return copy;
}

// Set, non-empty and not "0".
bool env_flag(const char* name) {
  const char* value = getenv(name);
  return value != nullptr && value[0] != '\0' && strcmp(value, "0") != 0;
}

// Returns whether the variable gave a path (an empty value gives none).
bool override_path(const char** path, const char* variable) {
  const char* value = copy_env(variable);
  if (value == nullptr) return false;
  if (value[0] == '\0') {
    free(const_cast<char*>(value));
    return false;
  }
  *path = value;
  return true;
}

// A decimal count with an optional K or M (binary multiples); false when
// the text is anything else, so that a typo keeps the default.
bool parse_size(const char* text, size_t max, size_t* out) {
  if (text == nullptr || *text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0) return false;
  unsigned shift = 0;
  if (*end == 'k' || *end == 'K') shift = 10;
  if (*end == 'm' || *end == 'M') shift = 20;
  if (shift != 0) ++end;
  if (*end != '\0' || value > (max >> shift)) return false;
  *out = static_cast<size_t>(value << shift);
  return true;
}

void read_cache_settings(Settings* s) {
  const char* enabled = getenv("ARESOLV_CACHE");
  if (enabled != nullptr && strcmp(enabled, "0") == 0) s->cache_enabled = false;
  size_t value;
  if (parse_size(getenv("ARESOLV_CACHE_SIZE"), SIZE_MAX, &value)) s->cache_max_bytes = value;
  if (parse_size(getenv("ARESOLV_CACHE_MAX_TTL"), UINT32_MAX, &value))
    s->cache_max_ttl = static_cast<uint32_t>(value);
  if (parse_size(getenv("ARESOLV_CACHE_MAX_NEGATIVE_TTL"), UINT32_MAX, &value))
    s->cache_max_negative_ttl = static_cast<uint32_t>(value);
}

void read_settings() {
  Settings& s = g_settings_storage.build();
  s.secure_execution = getauxval(AT_SECURE) != 0;
  // glibc honours RESOLV_MULTI in setuid programs too (it is not on the list
  // of variables the loader removes).
  s.resolv_multi = copy_env("RESOLV_MULTI");
  if (s.secure_execution) return;

  // Ours wins over glibc's own override; the loser is never copied (a copy
  // replaced here would be lost).
  if (!override_path(&s.host_conf_path, "ARESOLV_HOST_CONF"))
    override_path(&s.host_conf_path, "RESOLV_HOST_CONF");
  override_path(&s.resolv_conf_path, "ARESOLV_RESOLV_CONF");
  override_path(&s.hosts_path, "ARESOLV_HOSTS");
  override_path(&s.services_path, "ARESOLV_SERVICES");
  override_path(&s.nsswitch_path, "ARESOLV_NSSWITCH_CONF");
  override_path(&s.gai_conf_path, "ARESOLV_GAI_CONF");
  s.localdomain = copy_env("LOCALDOMAIN");
  s.res_options = copy_env("RES_OPTIONS");
  s.hostaliases = copy_env("HOSTALIASES");
  s.debug = env_flag("ARESOLV_DEBUG");
  s.disabled = env_flag("ARESOLV_DISABLE");
  s.nss_fallback = env_flag("ARESOLV_NSS_FALLBACK");
  read_cache_settings(&s);
}

// ---- cached configuration ---------------------------------------------------

struct ResolvConfCache {
  Mutex mutex;
  bool loaded = false;
  FileIdentity identity;
  IdentityMemo memo;
  ResolvConf conf;
};

struct NsswitchCache {
  Mutex mutex;
  bool loaded = false;
  FileIdentity identity;
  IdentityMemo memo;
  HostsLookupOrder order;
};

struct HostConfCache {
  Mutex mutex;
  bool loaded = false;
  HostConf conf;
};

// Built by ensure_ready(), which every accessor calls first.
LazyGlobal<ResolvConfCache> g_resolv_conf_storage;
LazyGlobal<NsswitchCache> g_nsswitch_storage;
LazyGlobal<HostConfCache> g_host_conf_storage;
ResolvConfCache& g_resolv_conf = g_resolv_conf_storage.value;
NsswitchCache& g_nsswitch = g_nsswitch_storage.value;
HostConfCache& g_host_conf = g_host_conf_storage.value;
pthread_once_t g_caches_once = PTHREAD_ONCE_INIT;

// A thread of the parent may have held a lock at fork(); the child has only
// the forking thread, so the locks are free by construction.
void reset_locks_in_child() {
  g_resolv_conf.mutex.reset_after_fork();
  g_nsswitch.mutex.reset_after_fork();
  g_host_conf.mutex.reset_after_fork();
}

void set_up_caches() {
  g_resolv_conf_storage.build();
  g_nsswitch_storage.build();
  g_host_conf_storage.build();
  pthread_atfork(nullptr, nullptr, reset_locks_in_child);
}

void ensure_ready() { pthread_once(&g_caches_once, set_up_caches); }

// Reads `path`; `current` is the identity measured before reading. Returns
// the identity to remember: a file that changed while it was read is given
// an identity that never matches, so that the next call reads it again (the
// ABA guard of glibc's resolv_conf.c).
FileIdentity remembered_identity(const FileIdentity& current, const FileSnapshot& snapshot) {
  if (snapshot.identity() == current) return current;
  FileIdentity never;
  never.exists = true;
  never.size = -1;
  return never;
}

}  // namespace

const Settings& settings() {
  // Asked several times per lookup: after the first, one load.
  if (__builtin_expect(g_settings_ready.load(std::memory_order_acquire), true)) return g_settings;
  pthread_once(&g_settings_once, read_settings);
  g_settings_ready.store(true, std::memory_order_release);
  return g_settings;
}

void current_resolv_conf(ResolvConf* out) {
  ensure_ready();
  const Settings& s = settings();
  long now = coarse_monotonic_ms();
  {
    LockGuard lock(g_resolv_conf.mutex);
    if (g_resolv_conf.loaded && (g_resolv_conf.conf.no_reload || g_resolv_conf.memo.fresh(now))) {
      *out = g_resolv_conf.conf;
      return;
    }
  }
  FileIdentity current = identify_file(s.resolv_conf_path);
  LockGuard lock(g_resolv_conf.mutex);
  if (!g_resolv_conf.loaded || g_resolv_conf.identity != current) {
    FileSnapshot snapshot;
    if (snapshot.load(s.resolv_conf_path) || !g_resolv_conf.loaded) {
      // glibc takes the default domain from gethostname() whenever it reads the file.
      char hostname[256];
      hostname[sizeof hostname - 1] = '\0';
      bool have_hostname = gethostname(hostname, sizeof hostname - 1) == 0;
      parse_resolv_conf(snapshot.data(), snapshot.size(), s.localdomain, s.res_options,
                        have_hostname ? hostname : nullptr, &g_resolv_conf.conf);
      g_resolv_conf.identity = remembered_identity(current, snapshot);
      g_resolv_conf.loaded = true;
      // Answers of the old servers (or for the old options) must not outlive them.
      dns_cache_flush();
    }
    // On a read error with a configuration in hand, glibc's res_init fails;
    // we keep answering with the last configuration and retry next time.
  }
  g_resolv_conf.memo.record(g_resolv_conf.identity, current, now);
  *out = g_resolv_conf.conf;
}

void current_hosts_order(HostsLookupOrder* out) {
  ensure_ready();
  const Settings& s = settings();
  long now = coarse_monotonic_ms();
  {
    LockGuard lock(g_nsswitch.mutex);
    if (g_nsswitch.loaded && g_nsswitch.memo.fresh(now)) {
      *out = g_nsswitch.order;
      return;
    }
  }
  FileIdentity current = identify_file(s.nsswitch_path);
  LockGuard lock(g_nsswitch.mutex);
  if (!g_nsswitch.loaded || g_nsswitch.identity != current) {
    FileSnapshot snapshot;
    if (snapshot.load(s.nsswitch_path) || !g_nsswitch.loaded) {
      parse_nsswitch_hosts(snapshot.data(), snapshot.size(), &g_nsswitch.order);
      g_nsswitch.identity = remembered_identity(current, snapshot);
      g_nsswitch.loaded = true;
    }
  }
  g_nsswitch.memo.record(g_nsswitch.identity, current, now);
  *out = g_nsswitch.order;
}

HostConf current_host_conf() {
  ensure_ready();
  const Settings& s = settings();
  LockGuard lock(g_host_conf.mutex);
  if (!g_host_conf.loaded) {
    FileSnapshot snapshot;
    snapshot.load(s.host_conf_path);  // unreadable: glibc's defaults, as for a missing file
    parse_host_conf(snapshot.data(), snapshot.size(), s.resolv_multi, &g_host_conf.conf);
    g_host_conf.loaded = true;
  }
  return g_host_conf.conf;
}

}  // namespace aresolv
