// res_init, res_query, res_search, res_querydomain, res_mkquery, res_send,
// their res_n* forms and res_nclose, under both the libc names and the
// __res_* names that binaries linked against glibc < 2.34 import from
// libresolv.so.2. The per-thread _res is glibc's own (__res_state()), so
// programs that read or tweak it see what they expect.
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "resolver/config.h"
#include "resolver/dns_search.h"
#include "resolver/dns_transport.h"
#include "resolver/res_state.h"
#include "resolver/stats.h"
#include "shim/defer_cancellation.h"
#include "shim/export.h"
#include "shim/passthrough.h"

// resolv.h renames these three to their __res_* spellings; we define both.
#undef res_init
#undef res_ninit
#undef res_nclose

namespace {

using aresolv::ResolvConf;

// Whether this thread's _res still holds what we last filled it with:
// glibc reloads a _res attached to its configuration, and leaves alone a _res
// the program has modified.
thread_local bool tls_res_attached = false;
thread_local uint64_t tls_res_fingerprint = 0;

uint64_t mix(uint64_t hash, const void* data, size_t length) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < length; ++i) hash = (hash ^ p[i]) * 0x100000001b3ULL;
  return hash;
}

uint64_t fingerprint(const struct __res_state* statp) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  unsigned long options = statp->options;
  int ndots = static_cast<int>(statp->ndots);
  hash = mix(hash, &options, sizeof options);
  hash = mix(hash, &statp->retrans, sizeof statp->retrans);
  hash = mix(hash, &statp->retry, sizeof statp->retry);
  hash = mix(hash, &ndots, sizeof ndots);
  hash = mix(hash, &statp->nscount, sizeof statp->nscount);
  for (int i = 0; i < statp->nscount && i < MAXNS; ++i) {
    hash = mix(hash, &statp->nsaddr_list[i], sizeof statp->nsaddr_list[i]);
    if (statp->_u._ext.nsaddrs[i] != nullptr)
      hash = mix(hash, statp->_u._ext.nsaddrs[i], sizeof(struct sockaddr_in6));
  }
  for (int i = 0; i < MAXDNSRCH && statp->dnsrch[i] != nullptr; ++i)
    hash = mix(hash, statp->dnsrch[i], strlen(statp->dnsrch[i]) + 1);
  return hash;
}

unsigned short random_id() {
  unsigned short id = 0;
  if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    id = static_cast<unsigned short>(ts.tv_nsec ^ (ts.tv_nsec >> 16));
  }
  return id;
}

void set_h_errno(struct __res_state* statp, int value) {
  statp->res_h_errno = value;
  h_errno = value;
}

// __res_vinit
int vinit(struct __res_state* statp, bool preinit) {
  ResolvConf conf;
  aresolv::current_resolv_conf(&conf);
  if (!aresolv::fill_res_state(conf, preinit, statp)) return -1;
  if (preinit) statp->id = random_id();
  if (statp == &_res) {
    tls_res_attached = true;
    tls_res_fingerprint = fingerprint(statp);
  }
  return 0;
}

// glibc's __resolv_context_get / _get_preinit on _res (maybe_init).
bool prepare_thread_state(bool preinit) {
  struct __res_state* statp = &_res;
  if (statp->options & RES_INIT) {
    if (statp->options & RES_NORELOAD) return true;
    if (!tls_res_attached || fingerprint(statp) != tls_res_fingerprint) return true;
    aresolv::close_res_state(statp);
    return vinit(statp, false) == 0;
  }
  if (preinit) {
    if (!statp->retrans) statp->retrans = RES_TIMEOUT;
    if (!statp->retry) statp->retry = RES_DFLRETRY;
    statp->options = RES_DEFAULT;
    if (!statp->id) statp->id = random_id();
  }
  return vinit(statp, preinit) == 0;
}

void conf_for(const struct __res_state* statp, ResolvConf* out) {
  ResolvConf current;
  aresolv::current_resolv_conf(&current);
  aresolv::conf_from_res_state(statp, current, out);
}

enum class Kind { kQuery, kSearch, kQueryDomain };

int lookup(struct __res_state* statp, Kind kind, const char* name, const char* domain, int cls,
           int type, unsigned char* answer, int anslen) {
  ResolvConf conf;
  conf_for(statp, &conf);
  aresolv::DnsTransport transport = aresolv::default_dns_transport();
  aresolv::DnsAnswers answers;
  answers.answer1 = answer;
  answers.size1 = anslen;
  aresolv::DnsOutcome outcome;
  int payload = aresolv::dns_edns_payload_for_buffer(anslen);
  answers.udp_limit = conf.edns0 && payload > 512 ? payload : 512;
  aresolv::LookupProbe probe(aresolv::EntryPoint::kResQuery, name);
  int ret;
  switch (kind) {
    case Kind::kQuery:
      ret =
          aresolv::dns_context_query(transport, conf, name, cls, type, payload, &answers, &outcome);
      break;
    case Kind::kSearch:
      ret = aresolv::dns_context_search(transport, conf, name, cls, type, payload, &answers,
                                        &outcome);
      break;
    default:
      ret = aresolv::dns_context_querydomain(transport, conf, name, domain, cls, type, payload,
                                             &answers, &outcome);
      break;
  }
  // res_search starts from HOST_NOT_FOUND and a later success keeps what
  // earlier candidates left; res_query and res_querydomain touch h_errno only
  // on failure.
  if (ret < 0 || kind == Kind::kSearch) set_h_errno(statp, outcome.h_errno_value);
  if (outcome.sys_errno != 0 || kind == Kind::kSearch) errno = outcome.sys_errno;
  probe.finish(ret, ret < 0);
  return ret;
}

int thread_lookup(Kind kind, const char* name, const char* domain, int cls, int type,
                  unsigned char* answer, int anslen) {
  if (!prepare_thread_state(false)) {
    set_h_errno(&_res, NETDB_INTERNAL);
    return -1;
  }
  return lookup(&_res, kind, name, domain, cls, type, answer, anslen);
}

int send_common(struct __res_state* statp, const unsigned char* buf, int buflen, unsigned char* ans,
                int anssiz) {
  if (anssiz < HFIXEDSZ || buflen < HFIXEDSZ) {
    errno = EINVAL;
    return -1;
  }
  ResolvConf conf;
  conf_for(statp, &conf);
  int error = 0;
  int ret = aresolv::dns_send_query(conf, buf, buflen, ans, anssiz, &error);
  if (ret < 0) errno = error;
  return ret;
}

int mkquery_common(struct __res_state* statp, int op, const char* dname, int cls, int type,
                   const unsigned char* data, unsigned char* buf, int buflen) {
  return aresolv::make_query(op, dname, cls, type, data, random_id(),
                             (statp->options & RES_RECURSE) != 0,
                             (statp->options & RES_TRUSTAD) != 0, buf, buflen);
}

using aresolv::Forward;
using aresolv::libc_target;
using aresolv::LibcFunction;

// libc has res_init, res_ninit and res_nclose only as __res_*; the others are
// res_* since 2.34 and __res_* in older libresolv.
LibcFunction libc_res_ninit("__res_ninit");
LibcFunction libc_res_init("__res_init");
LibcFunction libc_res_nclose("__res_nclose");
LibcFunction libc_res_nquery("res_nquery", "__res_nquery");
LibcFunction libc_res_nsearch("res_nsearch", "__res_nsearch");
LibcFunction libc_res_nquerydomain("res_nquerydomain", "__res_nquerydomain");
LibcFunction libc_res_query("res_query", "__res_query");
LibcFunction libc_res_search("res_search", "__res_search");
LibcFunction libc_res_querydomain("res_querydomain", "__res_querydomain");
LibcFunction libc_res_nmkquery("res_nmkquery", "__res_nmkquery");
LibcFunction libc_res_mkquery("res_mkquery", "__res_mkquery");
LibcFunction libc_res_nsend("res_nsend", "__res_nsend");
LibcFunction libc_res_send("res_send", "__res_send");

}  // namespace

ARESOLV_EXPORT int res_ninit(res_state statp) {
  if (auto libc = libc_target<decltype(&res_ninit)>(libc_res_ninit, Forward::kOnKillSwitch))
    return libc(statp);
  aresolv::DeferCancellation defer_cancellation;
  return vinit(statp, false);
}

ARESOLV_EXPORT int res_init(void) {
  if (auto libc = libc_target<decltype(&res_init)>(libc_res_init, Forward::kOnKillSwitch))
    return libc();
  aresolv::DeferCancellation defer_cancellation;
  struct __res_state* statp = &_res;
  // res_libc.c: values a program stored before the first res_init survive.
  if (!statp->retrans) statp->retrans = RES_TIMEOUT;
  if (!statp->retry) statp->retry = RES_DFLRETRY;
  if (!(statp->options & RES_INIT))
    statp->options = RES_DEFAULT;
  else if (statp->nscount > 0)
    aresolv::close_res_state(statp);
  if (!statp->id) statp->id = random_id();
  return vinit(statp, true);
}

// glibc's and our res_state keep the same malloc'ed extension, so either
// function closes a state the other filled.
ARESOLV_EXPORT void res_nclose(res_state statp) {
  if (auto libc = libc_target<decltype(&res_nclose)>(libc_res_nclose, Forward::kOnKillSwitch))
    return libc(statp);
  aresolv::close_res_state(statp);
}

ARESOLV_EXPORT int res_nquery(res_state statp, const char* name, int cls, int type,
                              unsigned char* answer, int anslen) {
  if (auto libc = libc_target<decltype(&res_nquery)>(libc_res_nquery, Forward::kOnKillSwitch))
    return libc(statp, name, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return lookup(statp, Kind::kQuery, name, nullptr, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_nsearch(res_state statp, const char* name, int cls, int type,
                               unsigned char* answer, int anslen) {
  if (auto libc = libc_target<decltype(&res_nsearch)>(libc_res_nsearch, Forward::kOnKillSwitch))
    return libc(statp, name, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return lookup(statp, Kind::kSearch, name, nullptr, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_nquerydomain(res_state statp, const char* name, const char* domain, int cls,
                                    int type, unsigned char* answer, int anslen) {
  if (auto libc =
          libc_target<decltype(&res_nquerydomain)>(libc_res_nquerydomain, Forward::kOnKillSwitch))
    return libc(statp, name, domain, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return lookup(statp, Kind::kQueryDomain, name, domain, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_query(const char* name, int cls, int type, unsigned char* answer,
                             int anslen) {
  if (auto libc = libc_target<decltype(&res_query)>(libc_res_query, Forward::kOnKillSwitch))
    return libc(name, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return thread_lookup(Kind::kQuery, name, nullptr, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_search(const char* name, int cls, int type, unsigned char* answer,
                              int anslen) {
  if (auto libc = libc_target<decltype(&res_search)>(libc_res_search, Forward::kOnKillSwitch))
    return libc(name, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return thread_lookup(Kind::kSearch, name, nullptr, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_querydomain(const char* name, const char* domain, int cls, int type,
                                   unsigned char* answer, int anslen) {
  if (auto libc =
          libc_target<decltype(&res_querydomain)>(libc_res_querydomain, Forward::kOnKillSwitch))
    return libc(name, domain, cls, type, answer, anslen);
  aresolv::DeferCancellation defer_cancellation;
  return thread_lookup(Kind::kQueryDomain, name, domain, cls, type, answer, anslen);
}

ARESOLV_EXPORT int res_nmkquery(res_state statp, int op, const char* dname, int cls, int type,
                                const unsigned char* data, int datalen, const unsigned char* newrr,
                                unsigned char* buf, int buflen) {
  if (auto libc = libc_target<decltype(&res_nmkquery)>(libc_res_nmkquery, Forward::kOnKillSwitch))
    return libc(statp, op, dname, cls, type, data, datalen, newrr, buf, buflen);
  aresolv::DeferCancellation defer_cancellation;
  return mkquery_common(statp, op, dname, cls, type, data, buf, buflen);
}

ARESOLV_EXPORT int res_mkquery(int op, const char* dname, int cls, int type,
                               const unsigned char* data, int datalen, const unsigned char* newrr,
                               unsigned char* buf, int buflen) {
  if (auto libc = libc_target<decltype(&res_mkquery)>(libc_res_mkquery, Forward::kOnKillSwitch))
    return libc(op, dname, cls, type, data, datalen, newrr, buf, buflen);
  aresolv::DeferCancellation defer_cancellation;
  if (!prepare_thread_state(true)) {
    set_h_errno(&_res, NETDB_INTERNAL);
    return -1;
  }
  return mkquery_common(&_res, op, dname, cls, type, data, buf, buflen);
}

ARESOLV_EXPORT int res_nsend(res_state statp, const unsigned char* buf, int buflen,
                             unsigned char* ans, int anssiz) {
  if (auto libc = libc_target<decltype(&res_nsend)>(libc_res_nsend, Forward::kOnKillSwitch))
    return libc(statp, buf, buflen, ans, anssiz);
  aresolv::DeferCancellation defer_cancellation;
  return send_common(statp, buf, buflen, ans, anssiz);
}

ARESOLV_EXPORT int res_send(const unsigned char* buf, int buflen, unsigned char* ans, int anssiz) {
  if (auto libc = libc_target<decltype(&res_send)>(libc_res_send, Forward::kOnKillSwitch))
    return libc(buf, buflen, ans, anssiz);
  aresolv::DeferCancellation defer_cancellation;
  if (!prepare_thread_state(false)) {
    set_h_errno(&_res, NETDB_INTERNAL);
    return -1;
  }
  return send_common(&_res, buf, buflen, ans, anssiz);
}

// The names that binaries built against glibc < 2.34 import.
#define ARESOLV_ALIAS(name, target) \
  extern "C" __attribute__((visibility("default"), alias(#target), nothrow)) decltype(target) name;

ARESOLV_ALIAS(__res_init, res_init)
ARESOLV_ALIAS(__res_ninit, res_ninit)
ARESOLV_ALIAS(__res_nclose, res_nclose)
ARESOLV_ALIAS(__res_query, res_query)
ARESOLV_ALIAS(__res_nquery, res_nquery)
ARESOLV_ALIAS(__res_search, res_search)
ARESOLV_ALIAS(__res_nsearch, res_nsearch)
ARESOLV_ALIAS(__res_querydomain, res_querydomain)
ARESOLV_ALIAS(__res_nquerydomain, res_nquerydomain)
ARESOLV_ALIAS(__res_mkquery, res_mkquery)
ARESOLV_ALIAS(__res_nmkquery, res_nmkquery)
ARESOLV_ALIAS(__res_send, res_send)
ARESOLV_ALIAS(__res_nsend, res_nsend)
