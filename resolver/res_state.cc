#include "resolver/res_state.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

namespace aresolv {
namespace {

constexpr int kDefaultRetrans = RES_TIMEOUT;
constexpr int kDefaultRetry = RES_DFLRETRY;

unsigned long option_bits(const ResolvConf& conf) {
  unsigned long bits = 0;
  if (conf.rotate) bits |= RES_ROTATE;
  if (conf.edns0) bits |= RES_USE_EDNS0;
  if (conf.single_request) bits |= RES_SNGLKUP;
  if (conf.single_request_reopen) bits |= RES_SNGLKUPREOP;
  if (conf.no_tld_query) bits |= RES_NOTLDQUERY;
  if (conf.use_vc) bits |= RES_USEVC;
  if (conf.no_aaaa) bits |= RES_NOAAAA;
  if (conf.trust_ad) bits |= RES_TRUSTAD;
  if (conf.no_reload) bits |= RES_NORELOAD;
  return bits;
}

}  // namespace

bool res_state_has_preinit_values(const struct __res_state* statp) {
  return (statp->retrans != 0 && statp->retrans != kDefaultRetrans) ||
         (statp->retry != 0 && statp->retry != kDefaultRetry) ||
         (statp->options != 0 && (statp->options & ~static_cast<unsigned long>(RES_INIT)) !=
                                     static_cast<unsigned long>(RES_DEFAULT));
}

bool fill_res_state(const ResolvConf& conf, bool preinit, struct __res_state* statp) {
  bool keep = preinit && res_state_has_preinit_values(statp);
  unsigned long base = keep ? statp->options : static_cast<unsigned long>(RES_DEFAULT);
  // resolv.conf's timeout/attempts override the preset values only when
  // present; a value equal to glibc's default cannot be told apart from an
  // absent one here, and then the preset wins.
  int retrans = conf.timeout;
  int retry = conf.attempts;
  if (keep && statp->retrans != 0 && conf.timeout == kDefaultRetrans) retrans = statp->retrans;
  if (keep && statp->retry != 0 && conf.attempts == kDefaultRetry) retry = statp->retry;

  statp->defdname[0] = '\0';
  statp->pfcode = 0;
  statp->_vcsock = -1;
  statp->_flags = 0;
  statp->ipv6_unavail = 0;
  statp->__glibc_unused_qhook = nullptr;
  statp->__glibc_unused_rhook = nullptr;
  statp->retrans = retrans;
  statp->retry = retry;
  statp->options = base | RES_INIT | option_bits(conf);
  statp->ndots = static_cast<unsigned>(conf.ndots);

  statp->nscount = 0;
  statp->_u._ext.nscount = 0;
  int count = conf.nameserver_count < MAXNS ? conf.nameserver_count : MAXNS;
  for (int i = 0; i < count; ++i) {
    const NameserverAddress& ns = conf.nameservers[i];
    memset(&statp->nsaddr_list[i], 0, sizeof statp->nsaddr_list[i]);
    statp->_u._ext.nsaddrs[i] = nullptr;
    if (ns.family == AF_INET) {
      statp->nsaddr_list[i].sin_family = AF_INET;
      statp->nsaddr_list[i].sin_port = htons(ns.port);
      memcpy(&statp->nsaddr_list[i].sin_addr, ns.bytes, 4);
    } else {
      auto* sa6 = static_cast<struct sockaddr_in6*>(malloc(sizeof(struct sockaddr_in6)));
      if (sa6 == nullptr) {
        for (int j = 0; j < i; ++j) {
          free(statp->_u._ext.nsaddrs[j]);
          statp->_u._ext.nsaddrs[j] = nullptr;
        }
        return false;
      }
      memset(sa6, 0, sizeof *sa6);
      sa6->sin6_family = AF_INET6;
      sa6->sin6_port = htons(ns.port);
      memcpy(&sa6->sin6_addr, ns.bytes, 16);
      sa6->sin6_scope_id = ns.scope_id;
      statp->_u._ext.nsaddrs[i] = sa6;
    }
    statp->_u._ext.nssocks[i] = -1;
  }
  statp->nscount = count;

  size_t used = 0;
  int i = 0;
  for (; i < conf.search_count && i < MAXDNSRCH; ++i) {
    const char* domain = conf.search[i];
    size_t length = strlen(domain) + 1;
    if (used + length > sizeof statp->defdname) break;
    memcpy(statp->defdname + used, domain, length);
    statp->dnsrch[i] = statp->defdname + used;
    used += length;
  }
  statp->dnsrch[i] = nullptr;
  statp->nsort = 0;
  memcpy(statp->_u._ext.__glibc_reserved, &kDetachedExtensionIndex, sizeof kDetachedExtensionIndex);
  return true;
}

void conf_from_res_state(const struct __res_state* statp, const ResolvConf& current,
                         ResolvConf* out) {
  *out = ResolvConf();
  unsigned long options = statp->options;
  out->ndots = static_cast<int>(statp->ndots);
  out->timeout = statp->retrans;
  out->attempts = statp->retry;
  out->rotate = options & RES_ROTATE;
  out->edns0 = options & RES_USE_EDNS0;
  out->single_request = options & RES_SNGLKUP;
  out->single_request_reopen = options & RES_SNGLKUPREOP;
  out->no_tld_query = options & RES_NOTLDQUERY;
  out->use_vc = options & RES_USEVC;
  out->no_aaaa = options & RES_NOAAAA;
  out->trust_ad = options & RES_TRUSTAD;
  out->no_reload = options & RES_NORELOAD;
  out->no_recurse = !(options & RES_RECURSE);

  int count = statp->nscount < MAXNS ? statp->nscount : MAXNS;
  for (int i = 0; i < count; ++i) {
    NameserverAddress& ns = out->nameservers[out->nameserver_count];
    const struct sockaddr_in& sin = statp->nsaddr_list[i];
    const struct sockaddr_in6* sin6 = statp->_u._ext.nsaddrs[i];
    if (sin.sin_family == AF_INET) {
      ns.family = AF_INET;
      memcpy(ns.bytes, &sin.sin_addr, 4);
      ns.port = ntohs(sin.sin_port);
    } else if (sin6 != nullptr && sin6->sin6_family == AF_INET6) {
      ns.family = AF_INET6;
      memcpy(ns.bytes, &sin6->sin6_addr, 16);
      ns.port = ntohs(sin6->sin6_port);
      ns.scope_id = sin6->sin6_scope_id;
    } else {
      continue;  // res_send.c skips what it cannot use
    }
    ++out->nameserver_count;
  }

  // Neither DEFNAMES nor DNSRCH: the name is only ever tried as given.
  if (!(options & (RES_DEFNAMES | RES_DNSRCH))) return;
  int state_count = 0;
  while (state_count < MAXDNSRCH && statp->dnsrch[state_count] != nullptr) ++state_count;
  bool prefix = state_count <= current.search_count;
  for (int i = 0; prefix && i < state_count; ++i)
    prefix = strcmp(statp->dnsrch[i], current.search[i]) == 0;
  if (prefix && state_count > 0) {
    out->search = current.search;
    out->search_count = current.search_count;
    out->search_truncated = current.search_truncated;
    return;
  }
  size_t used = 0;
  for (int i = 0; i < state_count && i < kMaxSearchDomains; ++i) {
    size_t length = strlen(statp->dnsrch[i]) + 1;
    if (used + length > sizeof out->search.storage) {
      out->search_truncated = true;
      break;
    }
    memcpy(out->search.storage + used, statp->dnsrch[i], length);
    out->search.offsets[i] = static_cast<uint16_t>(used);
    used += length;
    out->search_count = i + 1;
  }
}

void close_res_state(struct __res_state* statp) {
  if (statp->_vcsock >= 0) statp->_vcsock = -1;  // we never keep one open
  statp->_flags = 0;
  int count = statp->nscount < MAXNS ? statp->nscount : MAXNS;
  for (int i = 0; i < count; ++i) {
    free(statp->_u._ext.nsaddrs[i]);
    statp->_u._ext.nsaddrs[i] = nullptr;
  }
  statp->_u._ext.nscount = 0;
  memcpy(statp->_u._ext.__glibc_reserved, &kDetachedExtensionIndex, sizeof kDetachedExtensionIndex);
}

int make_query(int op, const char* dname, int cls, int type, const unsigned char* data, uint16_t id,
               bool recurse, bool trust_ad, unsigned char* buf, int buflen) {
  if (cls < 0 || cls > 65535 || type < 0 || type > 65535) return -1;
  if (buf == nullptr || buflen < HFIXEDSZ) return -1;
  if (op != QUERY && op != NS_NOTIFY_OP) return -1;
  memset(buf, 0, HFIXEDSZ);
  buf[0] = static_cast<unsigned char>(id >> 8);
  buf[1] = static_cast<unsigned char>(id);
  buf[2] = static_cast<unsigned char>(((op & 0x0f) << 3) | (recurse ? 0x01 : 0));
  buf[3] = trust_ad ? 0x20 : 0;
  unsigned char* cp = buf + HFIXEDSZ;
  int left = buflen - HFIXEDSZ;
  const unsigned char* dnptrs[20];
  dnptrs[0] = buf;
  dnptrs[1] = nullptr;
  const unsigned char** lastdnptr = dnptrs + sizeof dnptrs / sizeof dnptrs[0];

  left -= QFIXEDSZ + (op == NS_NOTIFY_OP && data != nullptr ? RRFIXEDSZ : 0);
  if (left < 0) return -1;
  int n = ns_name_compress(dname, cp, static_cast<size_t>(left), dnptrs, lastdnptr);
  if (n < 0) return -1;
  cp += n;
  left -= n;
  NS_PUT16(type, cp);
  NS_PUT16(cls, cp);
  buf[5] = 1;  // qdcount
  if (op == QUERY || data == nullptr) return static_cast<int>(cp - buf);

  n = ns_name_compress(reinterpret_cast<const char*>(data), cp, static_cast<size_t>(left), dnptrs,
                       lastdnptr);
  if (n < 0) return -1;
  cp += n;
  NS_PUT16(T_NULL, cp);
  NS_PUT16(cls, cp);
  NS_PUT32(0, cp);
  NS_PUT16(0, cp);
  buf[11] = 1;  // arcount
  return static_cast<int>(cp - buf);
}

}  // namespace aresolv
