// The DNS stage of the core: what nss_dns (glibc 2.36 as shipped by Debian 12,
// i.e. the release/2.36 branch with the rewritten answer parser) does for
// getaddrinfo and gethostbyname*, over c-ares used only as a transport.
#pragma once

#include "resolver/config.h"
#include "resolver/dns_answer.h"
#include "resolver/dns_transport.h"
#include "resolver/records.h"

namespace aresolv {

// glibc's T_QUERY_A_AND_AAAA: A and AAAA sent in parallel as one request.
constexpr int kDnsTypeAAndAAAA = 439963904;

constexpr int kDnsClassIn = 1;
constexpr int kDnsTypeA = 1;
constexpr int kDnsTypeCname = 5;
constexpr int kDnsTypeAAAA = 28;

constexpr int kDnsHeaderSize = 12;
constexpr int kDnsMaxPacket = 65536;  // glibc's MAXPACKET

enum DnsRcode {
  kRcodeNoError = 0,
  kRcodeFormErr = 1,
  kRcodeServFail = 2,
  kRcodeNxDomain = 3,
  kRcodeNotImp = 4,
  kRcodeRefused = 5
};

// Looks up the addresses of `name` as glibc's getaddrinfo asks nss_dns:
//   family AF_UNSPEC: _nss_dns_gethostbyname4_r (A and AAAA together, or A
//     alone with no-aaaa), including its res_hnok check of the name;
//   AF_INET / AF_INET6: _nss_dns_gethostbyname3_r (one type, no name check).
// The Status is nss_status (kNotFound is reported as kNoData when h_errno is
// NO_DATA); *h_errno_out is exactly the h_errno nss_dns leaves (NETDB_SUCCESS,
// HOST_NOT_FOUND, NO_DATA, TRY_AGAIN, NO_RECOVERY, NETDB_INTERNAL). Note that
// nss_dns can answer UNAVAIL with h_errno TRY_AGAIN (every server timed out or
// failed) or NOTFOUND with h_errno TRY_AGAIN; callers must look at both.
// out->canonical_name is the name glibc reports as canonical (gethostbyname4_r:
// the CNAME target current at the first address, empty if it could not be
// expanded; gethostbyname3_r: h_name); out->ttl the minimum TTL of the records
// used.
Status dns_lookup_name(const ResolvConf& conf, const char* name, int family, NameResult* out,
                       int* h_errno_out);

// _nss_dns_gethostbyname3_r with its aliases, for gethostbyname*.
// family AF_INET or AF_INET6 (anything else: kUnavail, h_errno NO_DATA).
Status dns_lookup_hostent(const ResolvConf& conf, const char* name, int family, HostentAnswer* out,
                          int* h_errno_out);

// The same over another transport (tests).
Status dns_lookup_name_with(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                            int family, NameResult* out, int* h_errno_out);
Status dns_lookup_hostent_with(const DnsTransport& transport, const ResolvConf& conf,
                               const char* name, int family, HostentAnswer* out, int* h_errno_out);

}  // namespace aresolv
