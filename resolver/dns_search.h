// glibc's res_query.c over a DnsTransport: __res_context_search (ndots, the
// search list, trailing dot, no-tld-query, which error wins across the
// candidates), __res_context_querydomain and __res_context_query (the rcode
// and answer count of one or two responses mapped to h_errno).
#pragma once

#include <stdint.h>

#include "resolver/config.h"
#include "resolver/dns_transport.h"

namespace aresolv {

// What glibc leaves behind besides the return value: h_errno, and errno as
// nss_dns reads it afterwards (ETIMEDOUT / ECONNREFUSED / EMFILE / ENFILE
// from the last send, 0 when the last candidate got an answer).
struct DnsOutcome {
  int h_errno_value = 0;
  int sys_errno = 0;
};

// type may be kDnsTypeAAndAAAA (then answers->answer2 must be set). Returns
// the length of the first answer (may be 0 when only the second is usable),
// or -1 with out->h_errno_value set. edns_payload is the UDP size advertised
// with edns0.
int dns_context_search(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                       int cls, int type, int edns_payload, DnsAnswers* answers, DnsOutcome* out);
int dns_context_querydomain(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                            const char* domain, int cls, int type, int edns_payload,
                            DnsAnswers* answers, DnsOutcome* out);
int dns_context_query(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                      int cls, int type, int edns_payload, DnsAnswers* answers, DnsOutcome* out);

// res_search / res_query / res_querydomain: the answer goes into the caller's
// buffer; the return value is its full length (larger than answer_size when
// it did not fit, the buffer then holding its start with TC set), or -1 with
// *h_errno_out set (HOST_NOT_FOUND, NO_DATA, TRY_AGAIN, NO_RECOVERY).
int dns_search_raw(const ResolvConf& conf, const char* name, int cls, int type, uint8_t* answer,
                   int answer_size, int* h_errno_out);
int dns_query_raw(const ResolvConf& conf, const char* name, int cls, int type, uint8_t* answer,
                  int answer_size, int* h_errno_out);
int dns_querydomain_raw(const ResolvConf& conf, const char* name, const char* domain, int cls,
                        int type, uint8_t* answer, int answer_size, int* h_errno_out);

// The EDNS payload glibc advertises for a caller buffer of this size.
int dns_edns_payload_for_buffer(int answer_size);

}  // namespace aresolv
