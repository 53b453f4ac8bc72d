#include "resolver/dns_search.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver/base.h"
#include "resolver/dns.h"
#include "resolver/dns_answer.h"

namespace aresolv {
namespace {

constexpr size_t kMaxDname = 1025;     // glibc's MAXDNAME for the text form
constexpr int kEdnsBufferSize = 1200;  // RESOLV_EDNS_BUFFER_SIZE

const char* search_domain(const ResolvConf& conf, int index) {
  if (index < 0 || index >= conf.search_count) return nullptr;
  return conf.search[index];
}

int header_rcode(const uint8_t* p) { return p[3] & 0x0f; }
int header_ancount(const uint8_t* p) { return (p[6] << 8) | p[7]; }

// Length of the (uncompressed) question name at `p`, or -1.
int skip_name(const uint8_t* p, const uint8_t* end) {
  const uint8_t* start = p;
  while (p < end) {
    uint8_t label = *p;
    if (label == 0) return static_cast<int>(p + 1 - start);
    if ((label & 0xc0) == 0xc0) return p + 2 <= end ? static_cast<int>(p + 2 - start) : -1;
    if ((label & 0xc0) != 0) return -1;
    p += 1 + label;
  }
  return -1;
}

// res-noaaaa.c: the answer to the replacement A query, turned into an empty
// answer to the AAAA question.
int rewrite_no_aaaa_answer(int result, uint8_t* answer, int size) {
  if (size <= kDnsHeaderSize) return result;
  const uint8_t* end = answer + size;
  int name_len = skip_name(answer + kDnsHeaderSize, end);
  if (name_len < 0) return result;
  uint8_t* qtype = answer + kDnsHeaderSize + name_len;
  if (end - qtype < 4 || qtype[0] != 0 || qtype[1] != kDnsTypeA || qtype[2] != 0 ||
      qtype[3] != kDnsClassIn)
    return result;
  qtype[1] = kDnsTypeAAAA;
  memset(answer + 6, 0, 6);  // ancount, nscount, arcount
  if (result <= 0) return result;
  return static_cast<int>(qtype + 4 - answer);
}

}  // namespace

int dns_edns_payload_for_buffer(int answer_size) {
  if (answer_size < 512) return 512;
  if (answer_size > kEdnsBufferSize) return kEdnsBufferSize;
  return answer_size;
}

int dns_context_query(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                      int cls, int type, int edns_payload, DnsAnswers* answers, DnsOutcome* out) {
  bool dual = type == kDnsTypeAAndAAAA;
  if (answers->size1 >= kDnsHeaderSize) answers->answer1[3] &= 0xf0;  // hp->rcode = NOERROR
  answers->len1 = 0;
  answers->len2 = 0;

  DnsSendRequest request;
  request.name = name;
  request.cls = cls;
  request.type = dual ? kDnsTypeA : type;
  request.type2 = dual ? kDnsTypeAAAA : 0;
  request.edns_payload = dual ? kEdnsBufferSize : edns_payload;
  DnsAnswers single = *answers;
  if (!dual) {
    single.answer2 = nullptr;
    single.size2 = 0;
  }
  bool no_aaaa = !dual && type == kDnsTypeAAAA && conf.no_aaaa && cls == kDnsClassIn;
  if (no_aaaa) {
    // The replacement query carries no OPT record.
    request.type = kDnsTypeA;
    request.edns_payload = 0;
    memset(single.answer1, 0, static_cast<size_t>(single.size1));
  }
  int send_error = 0;
  int n = transport.send(transport.context, conf, request, &single, &send_error);
  if (no_aaaa) {
    n = rewrite_no_aaaa_answer(n, single.answer1, single.size1);
    if (n >= 0) single.len1 = n;
  }
  answers->len1 = single.len1;
  answers->len2 = dual ? single.len2 : 0;
  if (n < 0 && send_error == EMSGSIZE) {
    // res_mkquery failed: the name cannot be put in a query.
    out->h_errno_value = NO_RECOVERY;
    return -1;
  }
  out->sys_errno = n < 0 ? send_error : 0;
  if (n < 0) {
    out->h_errno_value = TRY_AGAIN;
    return -1;
  }

  const uint8_t* hp = answers->answer1;
  const uint8_t* hp2 = hp;
  int avail1 = n < answers->size1 ? n : answers->size1;
  if (dual && answers->len2 >= kDnsHeaderSize) {
    hp2 = answers->answer2;
    if (avail1 < kDnsHeaderSize) hp = hp2;
  } else if (avail1 < kDnsHeaderSize) {
    out->h_errno_value = NO_RECOVERY;  // nothing glibc could look at
    return -1;
  }
  int rcode1 = header_rcode(hp), rcode2 = header_rcode(hp2);
  int an1 = header_ancount(hp), an2 = header_ancount(hp2);
  bool answered1 = rcode1 == kRcodeNoError && an1 != 0;
  bool answered2 = rcode2 == kRcodeNoError && an2 != 0;
  if (answered1 || answered2) return n;
  switch (rcode1 == kRcodeNoError ? rcode2 : rcode1) {
    case kRcodeNxDomain:
      out->h_errno_value = HOST_NOT_FOUND;
      break;
    case kRcodeServFail:
      out->h_errno_value = TRY_AGAIN;
      break;
    case kRcodeNoError:
      out->h_errno_value = NO_DATA;
      break;
    default:  // FORMERR, NOTIMP, REFUSED, others
      out->h_errno_value = NO_RECOVERY;
      break;
  }
  return -1;
}

int dns_context_querydomain(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                            const char* domain, int cls, int type, int edns_payload,
                            DnsAnswers* answers, DnsOutcome* out) {
  char joined[kMaxDname];
  const char* full = name;
  size_t n = strlen(name);
  if (domain == nullptr) {
    // glibc decrements first, so that the empty name wraps and is refused.
    if (n - 1 >= kMaxDname - 1) {
      out->h_errno_value = NO_RECOVERY;
      return -1;
    }
  } else {
    size_t d = strlen(domain);
    if (n + d + 1 >= kMaxDname) {
      out->h_errno_value = NO_RECOVERY;
      return -1;
    }
    memcpy(joined, name, n);
    joined[n] = '.';
    memcpy(joined + n + 1, domain, d + 1);
    full = joined;
  }
  return dns_context_query(transport, conf, full, cls, type, edns_payload, answers, out);
}

int dns_context_search(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                       int cls, int type, int edns_payload, DnsAnswers* answers, DnsOutcome* out) {
  out->sys_errno = 0;
  out->h_errno_value = HOST_NOT_FOUND;  // if we never query
  unsigned dots = 0;
  const char* cp = name;
  for (; *cp != '\0'; ++cp) dots += *cp == '.';
  bool trailing_dot = cp > name && cp[-1] == '.';
  // HOSTALIASES is not consulted here (see the report of the dns stage).

  auto success = [&](int ret) {
    return ret > 0 || (ret == 0 && answers->answer2 != nullptr && answers->len2 > 0);
  };

  int saved_herrno = -1;
  bool tried_as_is = false;
  if (dots >= static_cast<unsigned>(conf.ndots) || trailing_dot) {
    int ret = dns_context_querydomain(transport, conf, name, nullptr, cls, type, edns_payload,
                                      answers, out);
    if (success(ret) || trailing_dot) return ret;
    saved_herrno = out->h_errno_value;
    tried_as_is = true;
  }

  // RES_DEFNAMES and RES_DNSRCH are always on: nothing in resolv.conf turns them off.
  bool searched = false, root_on_list = false, got_nodata = false, got_servfail = false;
  if (!dots || !trailing_dot) {
    bool done = false;
    for (int index = 0; !done; ++index) {
      const char* domain = search_domain(conf, index);
      if (domain == nullptr) break;
      searched = true;
      if (domain[0] == '.') ++domain;
      if (domain[0] == '\0') root_on_list = true;
      int ret = dns_context_querydomain(transport, conf, name, domain, cls, type, edns_payload,
                                        answers, out);
      if (success(ret)) return ret;
      if (out->sys_errno == ECONNREFUSED) {
        out->h_errno_value = TRY_AGAIN;
        return -1;
      }
      switch (out->h_errno_value) {
        case NO_DATA:
          got_nodata = true;
          break;
        case HOST_NOT_FOUND:
          break;
        case TRY_AGAIN:
          if (answers->size1 >= kDnsHeaderSize &&
              header_rcode(answers->answer1) == kRcodeServFail) {
            got_servfail = true;
            break;
          }
          done = true;
          break;
        default:
          done = true;
      }
    }
  }

  if ((dots || !searched || !conf.no_tld_query) && !(tried_as_is || root_on_list)) {
    int ret = dns_context_querydomain(transport, conf, name, nullptr, cls, type, edns_payload,
                                      answers, out);
    if (success(ret)) return ret;
  }

  if (saved_herrno != -1)
    out->h_errno_value = saved_herrno;
  else if (got_nodata)
    out->h_errno_value = NO_DATA;
  else if (got_servfail)
    out->h_errno_value = TRY_AGAIN;
  return -1;
}

namespace {

int raw_common(const ResolvConf& conf, const char* name, const char* domain, int mode, int cls,
               int type, uint8_t* answer, int answer_size, int* h_errno_out) {
  DnsTransport transport = default_dns_transport();
  DnsAnswers answers;
  answers.answer1 = answer;
  answers.size1 = answer_size;
  DnsOutcome outcome;
  int payload = dns_edns_payload_for_buffer(answer_size);
  int ret;
  if (mode == 0)
    ret = dns_context_search(transport, conf, name, cls, type, payload, &answers, &outcome);
  else
    ret = dns_context_querydomain(transport, conf, name, domain, cls, type, payload, &answers,
                                  &outcome);
  *h_errno_out = ret < 0 ? outcome.h_errno_value : NETDB_SUCCESS;
  return ret;
}

}  // namespace

int dns_search_raw(const ResolvConf& conf, const char* name, int cls, int type, uint8_t* answer,
                   int answer_size, int* h_errno_out) {
  return raw_common(conf, name, nullptr, 0, cls, type, answer, answer_size, h_errno_out);
}

int dns_query_raw(const ResolvConf& conf, const char* name, int cls, int type, uint8_t* answer,
                  int answer_size, int* h_errno_out) {
  // res_query sends the name as given, without querydomain's length checks.
  DnsTransport transport = default_dns_transport();
  DnsAnswers answers;
  answers.answer1 = answer;
  answers.size1 = answer_size;
  DnsOutcome outcome;
  int ret = dns_context_query(transport, conf, name, cls, type,
                              dns_edns_payload_for_buffer(answer_size), &answers, &outcome);
  *h_errno_out = ret < 0 ? outcome.h_errno_value : NETDB_SUCCESS;
  return ret;
}

int dns_querydomain_raw(const ResolvConf& conf, const char* name, const char* domain, int cls,
                        int type, uint8_t* answer, int answer_size, int* h_errno_out) {
  return raw_common(conf, name, domain, 1, cls, type, answer, answer_size, h_errno_out);
}

}  // namespace aresolv

// ---- the stage functions for getaddrinfo and gethostbyname ----------------

namespace aresolv {
namespace {

Status to_status(NssStatus status, int h_errno_value) {
  switch (status) {
    case NssStatus::kSuccess:
      return Status::kSuccess;
    case NssStatus::kNotFound:
      return h_errno_value == NO_DATA ? Status::kNoData : Status::kNotFound;
    case NssStatus::kTryAgain:
      return Status::kTryAgain;
    case NssStatus::kUnavail:
      break;
  }
  return Status::kUnavail;
}

// nss_dns after a failed __res_context_search: errno decides the status.
NssStatus failed_search_status(const DnsOutcome& outcome, int* h_errno_out) {
  *h_errno_out = outcome.h_errno_value;
  switch (outcome.sys_errno) {
    case EMFILE:
    case ENFILE:
      *h_errno_out = NETDB_INTERNAL;
      errno = outcome.sys_errno;  // what EAI_SYSTEM reports
      return NssStatus::kUnavail;
    case ECONNREFUSED:
    case ETIMEDOUT:
      return NssStatus::kUnavail;
    default:
      return NssStatus::kNotFound;
  }
}

// A full-size answer buffer. Only the header is cleared: the search looks at
// the rcode of a buffer no response may have reached, and clearing all 64 KiB
// on every call cost more than answering from the cache.
MallocPtr<uint8_t> answer_buffer() {
  MallocPtr<uint8_t> buffer(static_cast<uint8_t*>(malloc(kDnsMaxPacket)));
  if (buffer) memset(buffer.get(), 0, kDnsHeaderSize);
  return buffer;
}

// Two full-size answer buffers; the lookups never truncate a response.
struct AnswerBuffers {
  MallocPtr<uint8_t> first = answer_buffer();
  MallocPtr<uint8_t> second = answer_buffer();
  bool ok() const { return first && second; }
};

}  // namespace

Status dns_lookup_name_with(const DnsTransport& transport, const ResolvConf& conf, const char* name,
                            int family, NameResult* out, int* h_errno_out) {
  out->count = 0;
  out->canonical_name[0] = '\0';
  out->ttl = 0;
  out->truncated = false;
  if (family == AF_INET || family == AF_INET6) {
    HeapRecord<HostentAnswer> hostent;
    if (!hostent) {
      *h_errno_out = NETDB_INTERNAL;
      return Status::kNoMemory;
    }
    Status status =
        dns_lookup_hostent_with(transport, conf, name, family, hostent.get(), h_errno_out);
    out->copy_from(hostent->result);
    return status;
  }
  if (family != AF_UNSPEC) {
    *h_errno_out = NO_DATA;
    return Status::kUnavail;
  }
  // check_name
  if (!dns_text_hnok(name)) {
    *h_errno_out = HOST_NOT_FOUND;
    return Status::kNotFound;
  }
  AnswerBuffers buffers;
  if (!buffers.ok()) {
    *h_errno_out = NETDB_INTERNAL;
    return Status::kNoMemory;
  }
  DnsAnswers answers;
  answers.answer1 = buffers.first.get();
  answers.size1 = kDnsMaxPacket;
  DnsOutcome outcome;
  int n;
  NssStatus status;
  if (!conf.no_aaaa) {
    answers.answer2 = buffers.second.get();
    answers.size2 = kDnsMaxPacket;
    n = dns_context_search(transport, conf, name, kDnsClassIn, kDnsTypeAAndAAAA, 1200, &answers,
                           &outcome);
    if (n >= 0)
      status = dns_parse_addrinfo_answer(answers.answer1, n, answers.answer2, answers.len2, out,
                                         h_errno_out);
  } else {
    n = dns_context_search(transport, conf, name, kDnsClassIn, kDnsTypeA, 1200, &answers, &outcome);
    if (n >= 0)
      status = dns_parse_addrinfo_answer(answers.answer1, n, nullptr, 0, out, h_errno_out);
  }
  if (n < 0) status = failed_search_status(outcome, h_errno_out);
  return to_status(status, *h_errno_out);
}

Status dns_lookup_hostent_with(const DnsTransport& transport, const ResolvConf& conf,
                               const char* name, int family, HostentAnswer* out, int* h_errno_out) {
  out->result.count = 0;
  out->result.canonical_name[0] = '\0';
  out->result.ttl = 0;
  out->result.truncated = false;
  out->alias_count = 0;
  out->aliases_truncated = false;
  int type;
  if (family == AF_INET)
    type = kDnsTypeA;
  else if (family == AF_INET6)
    type = kDnsTypeAAAA;
  else {
    *h_errno_out = NO_DATA;
    return Status::kUnavail;
  }
  MallocPtr<uint8_t> buffer = answer_buffer();
  if (!buffer) {
    *h_errno_out = NETDB_INTERNAL;
    return Status::kNoMemory;
  }
  DnsAnswers answers;
  answers.answer1 = buffer.get();
  answers.size1 = kDnsMaxPacket;
  DnsOutcome outcome;
  int n = dns_context_search(transport, conf, name, kDnsClassIn, type, 1200, &answers, &outcome);
  NssStatus status;
  if (n < 0)
    status = failed_search_status(outcome, h_errno_out);
  else
    status = dns_parse_hostent_answer(answers.answer1, n, type, out, h_errno_out);
  return to_status(status, *h_errno_out);
}

Status dns_lookup_name(const ResolvConf& conf, const char* name, int family, NameResult* out,
                       int* h_errno_out) {
  return dns_lookup_name_with(default_dns_transport(), conf, name, family, out, h_errno_out);
}

Status dns_lookup_hostent(const ResolvConf& conf, const char* name, int family, HostentAnswer* out,
                          int* h_errno_out) {
  return dns_lookup_hostent_with(default_dns_transport(), conf, name, family, out, h_errno_out);
}

}  // namespace aresolv
