// The struct __res_state that programs hand to res_n* (and glibc's per-thread
// _res): filled from our configuration as glibc's update_from_conf does, and
// read back into a ResolvConf as glibc's resolver context reads it.
#pragma once

#include <resolv.h>
#include <stdint.h>

#include "resolver/config.h"

namespace aresolv {

// An index (in glibc's __glibc_extension_index, __glibc_reserved outside
// glibc) that glibc's resolv_conf_get_1 rejects: a state we filled has no
// glibc resolv_conf attached, so glibc's own code (should a program reach it)
// treats the state as application-modified and uses its fields as they are.
constexpr unsigned long long kDetachedExtensionIndex = ~0ULL;

// glibc's has_preinit_values: the caller set retrans, retry or options to
// something other than the defaults before res_init.
bool res_state_has_preinit_values(const struct __res_state* statp);

// __res_vinit(statp, preinit) with our configuration: options, retrans, retry,
// ndots, nameservers (IPv6 ones in malloc'd _u._ext.nsaddrs, freed by
// res_nclose), dnsrch/defdname (at most MAXDNSRCH, truncated where defdname
// is full), nsort 0. With `preinit` and preinit values, the caller's options,
// retrans and retry are the base that resolv.conf options are applied to.
// Returns false when memory ran out (the state is then left with nscount 0).
bool fill_res_state(const ResolvConf& conf, bool preinit, struct __res_state* statp);

// What glibc's resolver uses for a request on `statp`: the state's options,
// retrans, retry, ndots, nameservers and search list. When the state's
// search list is a prefix of `current`'s (glibc: the attached configuration
// still matches), current's full list is used, as glibc does.
void conf_from_res_state(const struct __res_state* statp, const ResolvConf& current,
                         ResolvConf* out);

// Frees what fill_res_state allocated and forgets the nameservers
// (glibc's __res_iclose with free_addr).
void close_res_state(struct __res_state* statp);

// glibc's __res_context_mkquery: QUERY and NS_NOTIFY_OP (with `data` as the
// completion domain), header with `id`, RD and AD as given, the name
// compressed as ns_name_compress does. Returns the length or -1.
int make_query(int op, const char* dname, int cls, int type, const unsigned char* data, uint16_t id,
               bool recurse, bool trust_ad, unsigned char* buf, int buflen);

}  // namespace aresolv
