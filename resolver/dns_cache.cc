#include "resolver/dns_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atomic>

#include "resolver/answer_memo.h"
#include "resolver/dns.h"
#include "resolver/stats.h"

namespace aresolv {

struct DnsCache::Entry {
  Entry* bucket_next;
  Entry* newer;
  Entry* older;
  uint64_t hash;
  long inserted_ms;
  long expires_ms;
  size_t size;  // of the whole allocation, what the byte limit counts
  uint32_t key_len;
  int len1;
  int len2;  // 0 for a single question
  bool oversized_udp1;
  bool oversized_udp2;
  // followed by the key, response 1, response 2
  uint8_t* key() { return reinterpret_cast<uint8_t*>(this + 1); }
  uint8_t* response1() { return key() + key_len; }
  uint8_t* response2() { return response1() + len1; }
};

namespace {

// What one request to the servers gave, as the transport left it: the
// return value and error, and the buffers' contents (full responses: the
// transport wrote into buffers large enough for any response).
struct Outcome {
  int ret = -1;
  int error = ETIMEDOUT;
  int len1 = 0;                 // usable response to the first question
  int len2 = 0;                 // usable response to the second question
  int unusable_len = 0;         // unusable response left in buffer 1 (when len1 == 0)
  bool oversized_udp1 = false;  // see DnsAnswers
  bool oversized_udp2 = false;
  uint8_t* data1 = nullptr;
  uint8_t* data2 = nullptr;
};

}  // namespace

struct DnsCache::Flight {
  Flight* next;
  long abandon_ms;  // coarse monotonic: past this, its sender is taken to be gone
  uint64_t hash;
  uint32_t key_len;
  int refs;  // the sender and each waiter
  bool done;
  Outcome outcome;
  uint8_t* key() { return reinterpret_cast<uint8_t*>(this + 1); }
};

namespace {

using Entry = DnsCache::Entry;
using Flight = DnsCache::Flight;
using Shard = DnsCache::Shard;

constexpr int kScratchSize = kDnsMaxPacket;
constexpr size_t kMaxNameInKey = 1100;  // longer names cannot be put in a query anyway
constexpr size_t kMaxKey = kMaxNameInKey + 16 + kMaxNameservers * 24;
constexpr int kTypeOpt = 41;
constexpr int kTypeSoa = 6;
constexpr uint32_t kNegativeTtlWithoutSoa = 5;  // seconds

class ShardLock {
 public:
  explicit ShardLock(Shard& shard) : mutex_(&shard.mutex) { pthread_mutex_lock(mutex_); }
  ~ShardLock() { pthread_mutex_unlock(mutex_); }
  ShardLock(const ShardLock&) = delete;
  ShardLock& operator=(const ShardLock&) = delete;

 private:
  pthread_mutex_t* mutex_;
};

int be16(const uint8_t* p) { return (p[0] << 8) | p[1]; }
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// Offset just past the (possibly compressed) name at `offset`, or -1.
int skip_name(const uint8_t* p, int len, int offset) {
  while (offset < len) {
    uint8_t label = p[offset];
    if (label == 0) return offset + 1;
    if ((label & 0xc0) == 0xc0) return offset + 2 <= len ? offset + 2 : -1;
    if ((label & 0xc0) != 0) return -1;
    offset += 1 + label;
  }
  return -1;
}

struct Record {
  int section;  // 0 answer, 1 authority, 2 additional
  int type;
  int ttl_offset;
  int rdata;
  int rdlength;
};

// Calls visit(record) for every resource record; false for a malformed packet.
template <typename Visit>
bool walk_records(const uint8_t* p, int len, Visit visit) {
  if (len < kDnsHeaderSize) return false;
  int offset = kDnsHeaderSize;
  for (int i = be16(p + 4); i > 0; --i) {
    offset = skip_name(p, len, offset);
    if (offset < 0 || offset + 4 > len) return false;
    offset += 4;
  }
  int counts[3] = {be16(p + 6), be16(p + 8), be16(p + 10)};
  for (int section = 0; section < 3; ++section) {
    for (int i = counts[section]; i > 0; --i) {
      offset = skip_name(p, len, offset);
      if (offset < 0 || offset + 10 > len) return false;
      Record r = {section, be16(p + offset), offset + 4, offset + 10, be16(p + offset + 8)};
      offset = r.rdata + r.rdlength;
      if (offset > len) return false;
      visit(r);
    }
  }
  return true;
}

// RFC 2181 8: a TTL with the top bit set means zero.
uint32_t ttl_at(const uint8_t* p) {
  uint32_t ttl = be32(p);
  return ttl > 0x7fffffffu ? 0 : ttl;
}

// How long a usable response may be kept, in seconds (0: not at all).
uint32_t response_lifetime(const uint8_t* p, int len, const DnsCacheLimits& limits) {
  if (len < kDnsHeaderSize || (p[2] & 0x02) != 0) return 0;  // TC: not the whole answer
  int rcode = p[3] & 0x0f;
  if (rcode != kRcodeNoError && rcode != kRcodeNxDomain) return 0;
  uint32_t answer_ttl = UINT32_MAX;
  uint32_t negative_ttl = UINT32_MAX;
  bool have_soa = false;
  bool ok = walk_records(p, len, [&](const Record& r) {
    if (r.type == kTypeOpt) return;  // its "TTL" holds flags
    uint32_t ttl = ttl_at(p + r.ttl_offset);
    if (r.section == 0) {
      if (ttl < answer_ttl) answer_ttl = ttl;
    } else if (r.section == 1 && r.type == kTypeSoa) {
      // MNAME, RNAME, then serial, refresh, retry, expire, minimum.
      int end = r.rdata + r.rdlength;
      int at = skip_name(p, end, r.rdata);
      if (at >= 0) at = skip_name(p, end, at);
      if (at < 0 || at + 20 > end) return;
      uint32_t minimum = ttl_at(p + at + 16);
      uint32_t soa = ttl < minimum ? ttl : minimum;
      if (soa < negative_ttl) negative_ttl = soa;
      have_soa = true;
    }
  });
  if (!ok) return 0;
  bool answered = rcode == kRcodeNoError && be16(p + 6) != 0;
  if (!answered && !have_soa) {
    // RFC 2308 5 would not cache this at all, for fear of two servers feeding
    // it to each other for ever; a stub's cache feeds no one. dnsmasq answers
    // for its own names (the AAAA of a name with only an A) without SOA, so a
    // few seconds keep every lookup of such a name from asking again.
    negative_ttl = kNegativeTtlWithoutSoa;
    have_soa = true;
  }
  uint32_t lifetime = answered ? (answer_ttl < limits.max_ttl ? answer_ttl : limits.max_ttl)
                               : (answer_ttl < UINT32_MAX ? answer_ttl : UINT32_MAX);
  if (have_soa) {
    if (negative_ttl > limits.max_negative_ttl) negative_ttl = limits.max_negative_ttl;
    if (negative_ttl < lifetime) lifetime = negative_ttl;
  }
  return lifetime;
}

// Lowers every TTL in the delivered copy by `age` seconds (never below 0).
// Offsets come from the whole response; `buffer` may hold only its start.
void age_ttls(const uint8_t* response, int len, uint8_t* buffer, int delivered, uint32_t age) {
  if (age == 0) return;
  walk_records(response, len, [&](const Record& r) {
    if (r.type == kTypeOpt || r.ttl_offset + 4 > delivered) return;
    uint32_t ttl = ttl_at(response + r.ttl_offset);
    put_be32(buffer + r.ttl_offset, ttl > age ? ttl - age : 0);
  });
}

uint16_t fresh_id() {
  static std::atomic<uint64_t> state{0};  // constant-initialized
  uint64_t seed = state.fetch_add(0x9e3779b97f4a7c15ull, std::memory_order_relaxed);
  seed ^= reinterpret_cast<uintptr_t>(&seed);  // varies with the thread's stack
  seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9ull;
  seed = (seed ^ (seed >> 27)) * 0x94d049bb133111ebull;
  return static_cast<uint16_t>(seed ^ (seed >> 31));
}

// dns_transport.cc's deliver: a copy cut to the buffer (cut UDP-style within
// the UDP limit, else with TC and the full length returned).
int deliver(const uint8_t* response, int len, uint8_t* buffer, int size, bool trust_ad,
            int udp_limit) {
  int n = len < size ? len : size;
  if (n > 0) memcpy(buffer, response, static_cast<size_t>(n));
  if (udp_limit > 0 && len <= udp_limit) {
    if (n >= 4 && !trust_ad) buffer[3] &= static_cast<uint8_t>(~0x20);
    return n;
  }
  if (n >= 4) {
    if (!trust_ad) buffer[3] &= static_cast<uint8_t>(~0x20);
    if (len > size) buffer[2] |= 0x02;
  }
  return len;
}

// Gives `answers` what the transport would have left there.
int replay(const ResolvConf& conf, const Outcome& outcome, uint32_t age, bool new_id,
           DnsAnswers* answers, int* error) {
  answers->len1 = 0;
  answers->len2 = 0;
  answers->unusable_len = 0;
  answers->oversized_udp1 = answers->oversized_udp2 = false;
  int udp_limit = conf.use_vc ? 0 : answers->udp_limit;
  // dns_transport.cc's slot_udp_limit: an oversized UDP answer is cut as a datagram.
  auto limit_for = [&](bool oversized_udp, int len) {
    return udp_limit > 0 && oversized_udp ? len : udp_limit;
  };
  auto give = [&](const uint8_t* data, int len, uint8_t* buffer, int size, int limit) {
    int n = deliver(data, len, buffer, size, conf.trust_ad, limit);
    int copied = len < size ? len : size;
    age_ttls(data, len, buffer, copied, age);
    if (new_id && copied >= 2) {
      uint16_t id = fresh_id();
      buffer[0] = static_cast<uint8_t>(id >> 8);
      buffer[1] = static_cast<uint8_t>(id);
    }
    return n;
  };
  if (outcome.len1 == 0 && outcome.unusable_len > 0)
    answers->unusable_len =
        give(outcome.data1, outcome.unusable_len, answers->answer1, answers->size1, 0);
  if (outcome.ret < 0) {
    *error = outcome.error;
    return -1;
  }
  if (outcome.len1 > 0)
    answers->len1 = give(outcome.data1, outcome.len1, answers->answer1, answers->size1,
                         limit_for(outcome.oversized_udp1, outcome.len1));
  if (outcome.len2 > 0 && answers->answer2 != nullptr)
    answers->len2 = give(outcome.data2, outcome.len2, answers->answer2, answers->size2,
                         limit_for(outcome.oversized_udp2, outcome.len2));
  answers->oversized_udp1 = outcome.len1 > 0 && outcome.oversized_udp1;
  answers->oversized_udp2 = outcome.len2 > 0 && outcome.oversized_udp2;
  *error = 0;
  return answers->len1;
}

// The request's key: everything that decides what the servers answer.
size_t build_key(const ResolvConf& conf, const DnsSendRequest& request, bool dual, uint8_t* key) {
  size_t name_len = strlen(request.name);
  if (name_len > kMaxNameInKey) return 0;
  size_t n = 0;
  auto put16 = [&](int v) {
    key[n++] = static_cast<uint8_t>(v >> 8);
    key[n++] = static_cast<uint8_t>(v);
  };
  put16(request.cls);
  put16(request.type);
  put16(dual ? request.type2 : 0);
  put16(conf.edns0 ? request.edns_payload : -1);
  key[n++] = static_cast<uint8_t>((conf.no_recurse ? 1 : 0) | (conf.trust_ad ? 2 : 0) |
                                  (conf.use_vc ? 4 : 0) | (conf.edns0 ? 8 : 0));
  key[n++] = static_cast<uint8_t>(conf.nameserver_count);
  for (int i = 0; i < conf.nameserver_count; ++i) {
    const NameserverAddress& ns = conf.nameservers[i];
    key[n++] = static_cast<uint8_t>(ns.family);
    memcpy(key + n, ns.bytes, 16);
    n += 16;
    memcpy(key + n, &ns.scope_id, 4);
    n += 4;
    put16(ns.port);
  }
  memcpy(key + n, request.name, name_len);
  return n + name_len;
}

uint64_t hash_key(const uint8_t* key, size_t len) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (size_t i = 0; i < len; ++i) h = (h ^ key[i]) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

void lru_unlink(Shard& shard, Entry* e) {
  if (e->newer)
    e->newer->older = e->older;
  else
    shard.newest = e->older;
  if (e->older)
    e->older->newer = e->newer;
  else
    shard.oldest = e->newer;
  e->newer = e->older = nullptr;
}

void lru_push_newest(Shard& shard, Entry* e) {
  e->newer = nullptr;
  e->older = shard.newest;
  if (shard.newest) shard.newest->newer = e;
  shard.newest = e;
  if (!shard.oldest) shard.oldest = e;
}

Entry** bucket_for(Shard& shard, uint64_t hash) {
  return &shard.buckets[(hash / DnsCache::kShards) % DnsCache::kBucketsPerShard];
}

void remove_entry(Shard& shard, Entry* e) {
  for (Entry** link = bucket_for(shard, e->hash); *link; link = &(*link)->bucket_next) {
    if (*link == e) {
      *link = e->bucket_next;
      break;
    }
  }
  lru_unlink(shard, e);
  shard.bytes -= e->size;
  --shard.entries;
  free(e);
}

Entry* find_entry(Shard& shard, uint64_t hash, const uint8_t* key, size_t key_len) {
  for (Entry* e = *bucket_for(shard, hash); e; e = e->bucket_next)
    if (e->hash == hash && e->key_len == key_len && memcmp(e->key(), key, key_len) == 0) return e;
  return nullptr;
}

Flight* find_flight(Shard& shard, uint64_t hash, const uint8_t* key, size_t key_len) {
  for (Flight* f = shard.flights; f; f = f->next)
    if (f->hash == hash && f->key_len == key_len && memcmp(f->key(), key, key_len) == 0) return f;
  return nullptr;
}

void unlink_flight(Shard& shard, Flight* flight) {
  for (Flight** link = &shard.flights; *link; link = &(*link)->next) {
    if (*link == flight) {
      *link = flight->next;
      return;
    }
  }
}

void release_flight(Flight* flight) {
  if (--flight->refs > 0) return;
  free(flight->outcome.data1);
  free(flight->outcome.data2);
  free(flight);
}

// CLOCK_MONOTONIC `ms` milliseconds from now, for pthread_cond_clockwait.
struct timespec monotonic_deadline(long ms) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

}  // namespace

void DnsCache::configure(const DnsCacheLimits& limits, CacheClock clock) {
  limits_ = limits;
  clock_ = clock;
}

long DnsCache::now() const { return clock_ ? clock_() : coarse_monotonic_ms(); }

DnsCache::Shard& DnsCache::shard_for(uint64_t hash) {
  int count = limits_.shards < 1 ? 1 : limits_.shards > kShards ? kShards : limits_.shards;
  return shards_[hash % static_cast<uint64_t>(count)];
}

int DnsCache::send(const DnsTransport& inner, const ResolvConf& conf, const DnsSendRequest& request,
                   DnsAnswers* answers, int* error) {
  // attempts:0 must send nothing and answer nothing, as glibc does.
  if (conf.attempts <= 0 || conf.nameserver_count <= 0) {
    limit_answer_repeat(now());
    return inner.send(inner.context, conf, request, answers, error);
  }
  bool dual = request.type2 != 0 && answers->answer2 != nullptr;
  uint8_t key[kMaxKey];
  size_t key_len = build_key(conf, request, dual, key);
  if (key_len == 0) {
    limit_answer_repeat(now());
    return inner.send(inner.context, conf, request, answers, error);
  }
  uint64_t hash = hash_key(key, key_len);
  Shard& shard = shard_for(hash);
  int shard_count = limits_.shards < 1 ? 1 : limits_.shards > kShards ? kShards : limits_.shards;
  size_t shard_budget = limits_.max_bytes / static_cast<size_t>(shard_count);

  Flight* flight;
  {
    ShardLock lock(shard);
    long t = now();
    if (Entry* e = find_entry(shard, hash, key, key_len)) {
      if (t < e->expires_ms) {
        lru_unlink(shard, e);
        lru_push_newest(shard, e);
        Outcome cached;
        cached.ret = e->len1;
        cached.error = 0;
        cached.len1 = e->len1;
        cached.len2 = e->len2;
        cached.data1 = e->response1();
        cached.data2 = e->response2();
        cached.oversized_udp1 = e->oversized_udp1;
        cached.oversized_udp2 = e->oversized_udp2;
        uint32_t age = static_cast<uint32_t>((t - e->inserted_ms) / 1000);
        limit_answer_repeat(e->expires_ms);
        return replay(conf, cached, age, true, answers, error);
      }
      remove_entry(shard, e);
    }
    Flight* in_flight = find_flight(shard, hash, key, key_len);
    if (in_flight != nullptr && coarse_monotonic_ms() > in_flight->abandon_ms) {
      // Its sender went away without finishing (a cancelled thread): no one
      // may wait for it any more. Whoever holds a reference still frees it.
      unlink_flight(shard, in_flight);
      in_flight = nullptr;
    }
    if (in_flight != nullptr) {
      // Someone is asking the same question: wait for that answer, but no
      // longer than this caller's own request could have taken.
      ++in_flight->refs;
      limit_answer_repeat(t);  // whether the outcome is kept is not known here
      struct timespec deadline = monotonic_deadline(dns_time_budget_ms(conf) + 1000);
      // Cancelled inside the wait, this thread would leave holding the lock.
      int cancel_state;
      pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
      while (!in_flight->done) {
        if (pthread_cond_clockwait(&shard.flight_done, &shard.mutex, CLOCK_MONOTONIC, &deadline) ==
            ETIMEDOUT)
          break;
      }
      pthread_setcancelstate(cancel_state, nullptr);
      int ret;
      if (in_flight->done) {
        ret = replay(conf, in_flight->outcome, 0, true, answers, error);
      } else {
        answers->len1 = answers->len2 = answers->unusable_len = 0;
        *error = ETIMEDOUT;
        ret = -1;
      }
      release_flight(in_flight);
      return ret;
    }
    flight = static_cast<Flight*>(malloc(sizeof(Flight) + key_len));
    if (flight != nullptr) {
      // The transport gives up one second past the time budget on its own.
      flight->abandon_ms = coarse_monotonic_ms() + dns_time_budget_ms(conf) + 3000;
      flight->hash = hash;
      flight->key_len = static_cast<uint32_t>(key_len);
      flight->refs = 1;
      flight->done = false;
      flight->outcome = Outcome();
      memcpy(flight->key(), key, key_len);
      flight->next = shard.flights;
      shard.flights = flight;
    }
  }
  if (flight == nullptr) {
    limit_answer_repeat(now());
    return inner.send(inner.context, conf, request, answers, error);
  }

  // Full-size buffers, so that the outcome holds whole responses whatever
  // this caller's buffers are.
  Outcome& outcome = flight->outcome;
  outcome.data1 = static_cast<uint8_t*>(malloc(kScratchSize));
  outcome.data2 = dual ? static_cast<uint8_t*>(malloc(kScratchSize)) : nullptr;
  if (outcome.data1 == nullptr || (dual && outcome.data2 == nullptr)) {
    outcome.ret = -1;
    outcome.error = ENOMEM;
  } else {
    DnsAnswers full;
    full.answer1 = outcome.data1;
    full.size1 = kScratchSize;
    full.answer2 = outcome.data2;
    full.size2 = dual ? kScratchSize : 0;
    full.udp_limit = 0;
    int send_error = 0;
    outcome.ret = inner.send(inner.context, conf, request, &full, &send_error);
    outcome.error = outcome.ret < 0 ? send_error : 0;
    outcome.len1 = outcome.ret < 0 ? 0 : full.len1;
    outcome.len2 = outcome.ret < 0 || !dual ? 0 : full.len2;
    outcome.unusable_len = full.unusable_len;
    outcome.oversized_udp1 = full.oversized_udp1;
    outcome.oversized_udp2 = full.oversized_udp2;
  }

  uint32_t lifetime = 0;
  if (outcome.ret >= 0 && outcome.len1 > 0 && (!dual || outcome.len2 > 0)) {
    lifetime = response_lifetime(outcome.data1, outcome.len1, limits_);
    if (dual && lifetime > 0) {
      uint32_t second = response_lifetime(outcome.data2, outcome.len2, limits_);
      if (second < lifetime) lifetime = second;
    }
  }
  size_t entry_size = sizeof(Entry) + key_len + static_cast<size_t>(outcome.len1) +
                      static_cast<size_t>(outcome.len2);
  Entry* entry = nullptr;
  if (lifetime > 0 && entry_size <= shard_budget) {
    entry = static_cast<Entry*>(malloc(entry_size));
    if (entry != nullptr) {
      entry->bucket_next = entry->newer = entry->older = nullptr;
      entry->hash = hash;
      entry->size = entry_size;
      entry->key_len = static_cast<uint32_t>(key_len);
      entry->len1 = outcome.len1;
      entry->len2 = outcome.len2;
      entry->oversized_udp1 = outcome.oversized_udp1;
      entry->oversized_udp2 = outcome.oversized_udp2;
      memcpy(entry->key(), key, key_len);
      memcpy(entry->response1(), outcome.data1, static_cast<size_t>(outcome.len1));
      if (outcome.len2 > 0)
        memcpy(entry->response2(), outcome.data2, static_cast<size_t>(outcome.len2));
    }
  }

  ShardLock lock(shard);
  unlink_flight(shard, flight);
  flight->done = true;
  pthread_cond_broadcast(&shard.flight_done);
  if (entry != nullptr) {
    long t = now();
    entry->inserted_ms = t;
    entry->expires_ms = t + static_cast<long>(lifetime) * 1000;
    if (Entry* old = find_entry(shard, hash, key, key_len)) remove_entry(shard, old);
    while (shard.oldest != nullptr && shard.bytes + entry_size > shard_budget)
      remove_entry(shard, shard.oldest);
    Entry** bucket = bucket_for(shard, hash);
    entry->bucket_next = *bucket;
    *bucket = entry;
    lru_push_newest(shard, entry);
    shard.bytes += entry_size;
    ++shard.entries;
    limit_answer_repeat(entry->expires_ms);
  } else {
    limit_answer_repeat(now());  // asked again next time
  }
  int ret = replay(conf, outcome, 0, false, answers, error);
  release_flight(flight);
  return ret;
}

void DnsCache::flush() {
  for (Shard& shard : shards_) {
    ShardLock lock(shard);
    while (shard.oldest != nullptr) remove_entry(shard, shard.oldest);
  }
}

size_t DnsCache::bytes() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    ShardLock lock(const_cast<Shard&>(shard));
    total += shard.bytes;
  }
  return total;
}

int DnsCache::entries() const {
  int total = 0;
  for (const Shard& shard : shards_) {
    ShardLock lock(const_cast<Shard&>(shard));
    total += shard.entries;
  }
  return total;
}

void DnsCache::before_fork() {
  for (Shard& shard : shards_) pthread_mutex_lock(&shard.mutex);
}

void DnsCache::after_fork_in_parent() {
  for (int i = kShards - 1; i >= 0; --i) pthread_mutex_unlock(&shards_[i].mutex);
}

void DnsCache::after_fork_in_child() {
  for (Shard& shard : shards_) {
    // The senders of these requests exist only in the parent; their
    // records are the parent's to free (here they are simply forgotten).
    shard.flights = nullptr;
    pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;
    shard.flight_done = fresh_cond;
    pthread_mutex_t fresh_mutex = PTHREAD_MUTEX_INITIALIZER;
    shard.mutex = fresh_mutex;
  }
}

// ---- the process-wide cache ---------------------------------------------------

namespace {

DnsCache g_cache;
pthread_once_t g_cache_once = PTHREAD_ONCE_INIT;

void before_fork() { g_cache.before_fork(); }
void after_fork_in_parent() { g_cache.after_fork_in_parent(); }
void after_fork_in_child() { g_cache.after_fork_in_child(); }

void set_up_cache() {
  const Settings& s = settings();
  DnsCacheLimits limits;
  limits.max_bytes = s.cache_max_bytes;
  limits.max_ttl = s.cache_max_ttl;
  limits.max_negative_ttl = s.cache_max_negative_ttl;
  g_cache.configure(limits);
  pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

}  // namespace

int dns_cached_send(void*, const ResolvConf& conf, const DnsSendRequest& request,
                    DnsAnswers* answers, int* error) {
  if (!settings().cache_enabled) {
    limit_answer_repeat(coarse_monotonic_ms());
    return dns_send(nullptr, conf, request, answers, error);
  }
  pthread_once(&g_cache_once, set_up_cache);
  uint32_t visits_before = thread_server_visits();
  int rc = g_cache.send(DnsTransport{&dns_send, nullptr}, conf, request, answers, error);
  record_cache_request(thread_server_visits() == visits_before);
  return rc;
}

void dns_cache_flush() {
  if (!settings().cache_enabled) return;
  pthread_once(&g_cache_once, set_up_cache);
  g_cache.flush();
  forget_repeated_answers();
}

}  // namespace aresolv
