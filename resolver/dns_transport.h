// Sending questions to the configured nameservers, as glibc's res_send.c does
// (server order, rotate, per-server timeouts, parallel A+AAAA on one socket,
// single-request fallbacks, answers with SERVFAIL/NOTIMP/REFUSED skipped),
// with c-ares used only to move packets: a channel is created for each server
// attempt and destroyed at its end, so no descriptor survives a call.
#pragma once

#include <stdint.h>

#include "resolver/config.h"

namespace aresolv {

// Where the answers go. answer2 is nullptr for a single question. The lengths
// are the full lengths of the responses, which may exceed the buffer sizes
// (then the buffer holds the start of the response with TC set, as glibc's
// send_vc does). A length of 0 means "no usable response to that question".
struct DnsAnswers {
  uint8_t* answer1 = nullptr;
  int size1 = 0;
  int len1 = 0;
  uint8_t* answer2 = nullptr;
  int size2 = 0;
  int len2 = 0;
  // The buffers are the receive buffers themselves (the res_* API, glibc's
  // send_dg without anscp): a UDP response longer than a buffer is cut there
  // by recvfrom, its length becomes the buffer size and TC is left alone.
  // 0 means not; otherwise the largest response that can come over UDP.
  int udp_limit = 0;
  // Set by the transport: the full length of the last unusable response it
  // left in answer1 (0: none), so that the cache can hand it on.
  int unusable_len = 0;
  // Set by the transport: that answer came over UDP although longer than 512
  // bytes (so it is cut as a datagram is, never marked TC).
  bool oversized_udp1 = false;
  bool oversized_udp2 = false;
};

struct DnsSendRequest {
  const char* name;  // as given to res_mkquery (escapes allowed, trailing dot optional)
  int cls;
  int type;          // the first question
  int type2;         // the second question (AAAA of the A+AAAA pair), 0 for none
  int edns_payload;  // UDP size advertised in an OPT record when conf.edns0
};

// The transport contract of glibc's __res_context_send: returns len1 (>= 0;
// 0 with len2 > 0 when only the second question got a usable answer), or -1
// with *error set to ETIMEDOUT (some server was reached or timed out),
// ECONNREFUSED (no server could be reached at all), EMFILE/ENFILE, ENOMEM, or
// EMSGSIZE (the query could not be built: bad or too long name). After -1,
// answer1 holds the last unusable response received (glibc's search looks at
// its rcode), or is left untouched when none arrived.
using DnsSendFunction = int (*)(void* context, const ResolvConf& conf,
                                const DnsSendRequest& request, DnsAnswers* answers, int* error);

struct DnsTransport {
  DnsSendFunction send;
  void* context;
};

// The real transport (c-ares).
int dns_send(void* unused_context, const ResolvConf& conf, const DnsSendRequest& request,
             DnsAnswers* answers, int* error);

// dns_send behind the process-wide cache (resolver/dns_cache.h).
int dns_cached_send(void* unused_context, const ResolvConf& conf, const DnsSendRequest& request,
                    DnsAnswers* answers, int* error);

inline DnsTransport default_dns_transport() { return DnsTransport{&dns_cached_send, nullptr}; }

// res_send: one caller-built query (ID, flags and any OPT record as given),
// same server walk and return contract as dns_send; the answer carries the
// query's ID.
int dns_send_query(const ResolvConf& conf, const uint8_t* query, int query_len, uint8_t* answer,
                   int answer_size, int* error);

// glibc's total time budget for one request with these options, in
// milliseconds (attempts x the per-server timeouts of send_dg).
long dns_time_budget_ms(const ResolvConf& conf);

}  // namespace aresolv
