// The in-process DNS cache: raw responses kept at the transport level, so
// that glibc's search walk and nss_dns's parsing run again on them and every
// entry point (getaddrinfo, gethostby*, getnameinfo's PTR, res_query and
// res_search) keeps glibc's semantics. A request is keyed by exactly what
// makes the servers' answer: the question name as given (case kept, since
// the answer echoes it and glibc reports names from it), class, type(s), RD,
// AD, the EDNS payload, TCP-only and the ordered nameserver list.
//
// Lifetimes: a positive answer lives for the smallest TTL of its records,
// NXDOMAIN and NODATA for the SOA's negative TTL (min of the SOA record's TTL
// and its minimum field, RFC 2308), or 5 seconds when the answer has no SOA;
// both are capped. A TTL of 0, SERVFAIL/REFUSED/NOTIMP/FORMERR, timeouts,
// answers with TC and an A+AAAA pair with one answer missing are not cached. On replay every
// TTL is decreased by the entry's age (whole seconds), as a caching server
// does, and the response gets a fresh ID.
//
// Identical requests in flight at the same time go to the servers once: the
// others wait (each until its own time budget) and receive the same outcome,
// failures included. res_send's caller-built queries bypass the cache.
#pragma once

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "resolver/config.h"
#include "resolver/dns_transport.h"
#include "resolver/recheck.h"

namespace aresolv {

struct DnsCacheLimits {
  size_t max_bytes = size_t{1} << 20;  // all entries together, headers included
  uint32_t max_ttl = 3600;             // seconds, positive answers
  uint32_t max_negative_ttl = 900;     // seconds, NXDOMAIN / NODATA
  // Independently locked parts, each with its own LRU list and an equal part
  // of max_bytes (1 to DnsCache::kShards; tests use 1 for one global order).
  int shards = 8;
};

// Milliseconds on a monotonic clock (tests inject their own).
using CacheClock = long (*)();

class DnsCache {
 public:
  constexpr DnsCache() = default;
  DnsCache(const DnsCache&) = delete;
  DnsCache& operator=(const DnsCache&) = delete;

  // Before first use (not thread-safe against lookups).
  void configure(const DnsCacheLimits& limits, CacheClock clock = nullptr);

  // The DnsSendFunction contract (see dns_transport.h): answers from the
  // cache, from an identical request in flight, or from `inner`.
  int send(const DnsTransport& inner, const ResolvConf& conf, const DnsSendRequest& request,
           DnsAnswers* answers, int* error);

  void flush();
  size_t bytes() const;
  int entries() const;

  // pthread_atfork handlers: the locks are taken around fork() so that the
  // child's copy is consistent; the child forgets requests in flight (their
  // senders live only in the parent).
  void before_fork();
  void after_fork_in_parent();
  void after_fork_in_child();

  // No destructor: the process-wide instance must need no registration at
  // load time. Owners of other instances call flush() before dropping them.

  struct Entry;
  struct Flight;
  static constexpr int kShards = 8;
  static constexpr int kBucketsPerShard = 256;
  struct alignas(64) Shard {
    pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;
    Entry* buckets[kBucketsPerShard] = {};
    Entry* newest = nullptr;  // LRU list, most recently used first
    Entry* oldest = nullptr;
    Flight* flights = nullptr;
    size_t bytes = 0;
    int entries = 0;
  };

 private:
  long now() const;
  Shard& shard_for(uint64_t hash);
  Shard shards_[kShards] = {};
  // Zero until configure(): the process-wide instance then lives in .bss,
  // which costs nothing at load (explicit zeros override the defaults).
  DnsCacheLimits limits_ = {0, 0, 0, 0};
  CacheClock clock_ = nullptr;
};

// The process-wide cache in front of dns_send (the DnsSendFunction of
// default_dns_transport()); with ARESOLV_CACHE=0 it is dns_send itself.
int dns_cached_send(void* unused_context, const ResolvConf& conf, const DnsSendRequest& request,
                    DnsAnswers* answers, int* error);

// Empties the process-wide cache (resolv.conf changed).
void dns_cache_flush();

}  // namespace aresolv
