#include "resolver/lookup_name.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <wchar.h>

#include "resolver/base.h"
#include "resolver/config.h"
#include "resolver/numeric.h"
#include "resolver/sources.h"
#include "resolver/stats.h"

namespace aresolv {
namespace {

Address make_v4mapped(const Address& v4) {
  Address a = {};
  a.family = AF_INET6;
  a.bytes[10] = 0xff;
  a.bytes[11] = 0xff;
  memcpy(a.bytes + 12, v4.bytes, 4);
  return a;
}

// glibc's get_local_addresses: no node given.
void local_addresses(int family, int flags, NameResult* out) {
  bool passive = flags & AI_PASSIVE;
  if (family == AF_UNSPEC || family == AF_INET6) {
    Address a = {};
    a.family = AF_INET6;
    if (!passive) a.bytes[15] = 1;  // ::1
    out->add(a);
  }
  if (family == AF_UNSPEC || family == AF_INET) {
    Address a = {};
    a.family = AF_INET;
    if (!passive) {
      a.bytes[0] = 127;
      a.bytes[3] = 1;
    }
    out->add(a);
  }
}

void set_canonical(NameResult* out, const char* name) {
  copy_string(out->canonical_name, sizeof out->canonical_name, name);
}

AnswerSource answer_source_of(HostsSource source) {
  switch (source) {
    case HostsSource::kFiles:
      return AnswerSource::kHosts;
    case HostsSource::kDns:
      return AnswerSource::kDns;
    case HostsSource::kMyHostname:
      return AnswerSource::kMyHostname;
    case HostsSource::kSkipped:
      break;
  }
  return AnswerSource::kNone;
}

// Returned by numeric_lookup for a name that is not a literal: EAI_* codes
// are negative, so any positive value is free.
constexpr int kNotNumeric = 1;

// glibc's text_to_binary_address. Returns kNotNumeric when `name` is not
// numeric (and AI_NUMERICHOST is not set), else 0 or an EAI_* code.
int numeric_lookup(const char* name, int family, int flags, NameResult* out) {
  Address a;
  switch (parse_numeric_host(name, &a, family)) {
    case NumericHost::kIPv4:
      if (family == AF_INET6) {
        if (!(flags & AI_V4MAPPED)) return EAI_ADDRFAMILY;
        a = make_v4mapped(a);
      }
      break;
    case NumericHost::kIPv6:
      if (family == AF_INET) {
        if (!IN6_IS_ADDR_V4MAPPED(reinterpret_cast<const in6_addr*>(a.bytes)))
          return EAI_ADDRFAMILY;
        memmove(a.bytes, a.bytes + 12, 4);
        memset(a.bytes + 4, 0, 12);
        a.family = AF_INET;
        a.scope_id = 0;
      }
      break;
    case NumericHost::kBadScope:
      // glibc checks the family before the scope.
      if (family == AF_INET) return EAI_ADDRFAMILY;
      return EAI_NONAME;
    case NumericHost::kNotNumeric:
      return (flags & AI_NUMERICHOST) ? EAI_NONAME : kNotNumeric;
  }
  out->add(a);
  if (flags & AI_CANONNAME) set_canonical(out, name);
  return 0;
}

// __nss_hostname_digits_dots for AF_INET: a name of digits and dots that is
// not an address never reaches NSS.
bool is_rejected_dotted_number(const char* name) {
  if (!isdigit(static_cast<unsigned char>(name[0]))) return false;
  const char* p = name;
  for (; *p; ++p)
    if (!isdigit(static_cast<unsigned char>(*p)) && *p != '.') return false;
  return p[-1] != '.';
}

// glibc's try_simple_gethostbyname: AF_INET without AI_CANONNAME goes through
// gethostbyname2_r and the generic NSS loop.
int simple_ipv4_lookup(const LookupContext& context, const HostsLookupOrder& order,
                       const char* name, int flags, NameResult* out) {
  if (is_rejected_dotted_number(name)) return EAI_NONAME;

  NssStatus status = NssStatus::kUnavail;
  int h_error = NO_RECOVERY;  // nothing could be asked at all
  int error = 0;
  bool asked_any = false;
  for (int i = 0; i < order.count; ++i) {
    const SourceEntry& entry = order.sources[i];
    if (entry.source == HostsSource::kSkipped) continue;
    asked_any = true;
    out->count = 0;
    out->truncated = false;
    out->canonical_name[0] = '\0';
    SourceReply reply = source_by3(entry.source, context, name, AF_INET, out);
    out->source = answer_source_of(entry.source);
    status = reply.status;
    h_error = reply.h_errno_value;
    error = reply.errno_value;
    if (status == NssStatus::kTryAgain && h_error == NETDB_INTERNAL && error == ENOMEM)
      return EAI_MEMORY;
    if (next_action(entry, status) == NssAction::kReturn) break;
  }
  if (!asked_any) h_error = NO_RECOVERY;

  if (status == NssStatus::kSuccess) return out->count > 0 ? 0 : EAI_NODATA;
  out->count = 0;
  if (status == NssStatus::kNotFound) return h_error == NO_DATA ? EAI_NODATA : EAI_NONAME;
  if (h_error == NETDB_INTERNAL) {
    errno = error;
    return EAI_SYSTEM;
  }
  if (h_error == TRY_AGAIN) return EAI_AGAIN;
  return EAI_NODATA;
}

// The "no data" bookkeeping of glibc's gethosts(): 0, 1 (NO_DATA) or EAI_AGAIN.
int no_data_of(const SourceReply& reply) {
  if (reply.h_errno_value == TRY_AGAIN) return EAI_AGAIN;
  return reply.h_errno_value == NO_DATA ? 1 : 0;
}

bool is_internal_failure(const SourceReply& reply) {
  return reply.status != NssStatus::kSuccess && reply.h_errno_value == NETDB_INTERNAL;
}

int internal_failure(const SourceReply& reply) {
  if (reply.errno_value == ENOMEM) return EAI_MEMORY;
  errno = reply.errno_value;
  return EAI_SYSTEM;
}

// Appends `found` (one family) to `out` as glibc's convert_hostent_to_gaih_addrtuple.
void append_family(const NameResult& found, int family, int requested_family, NameResult* out) {
  for (int i = 0; i < found.count; ++i) {
    if (family == AF_INET && requested_family == AF_INET6)
      out->add(make_v4mapped(found.addresses[i]));
    else
      out->add(found.addresses[i]);
  }
  if (found.truncated) out->truncated = true;
  if (found.ttl != 0 && (out->ttl == 0 || found.ttl < out->ttl)) out->ttl = found.ttl;
}

// glibc's get_nss_addresses. Returns 0 (out may still be empty: then
// EAI_NONAME) or an EAI_* code.
int nss_lookup(const LookupContext& context, const HostsLookupOrder& order, const char* name,
               int family, int flags, NameLookup* lookup) {
  NameResult* out = &lookup->result;
  int no_data = 0;
  int no_inet6_data = 0;
  NssStatus status = NssStatus::kUnavail;
  SourceReply last = {NssStatus::kUnavail, 0, 0};

  for (int i = 0; i < order.count; ++i) {
    const SourceEntry& entry = order.sources[i];
    if (entry.source == HostsSource::kSkipped) continue;
    // Each source starts afresh: a "continue" discards what came before.
    out->count = 0;
    out->truncated = false;
    out->canonical_name[0] = '\0';
    out->ttl = 0;
    out->source = answer_source_of(entry.source);
    lookup->got_ipv6 = false;
    no_data = 0;

    if (family == AF_UNSPEC) {
      SourceReply reply = source_by4(entry.source, context, name, out);
      status = reply.status;
      last = reply;
      if (status == NssStatus::kSuccess) {
        no_data = out->count == 0 ? 1 : 0;
      } else {
        out->count = 0;
        no_data = no_data_of(reply);
      }
      no_inet6_data = no_data;
    } else {
      NssStatus inet6_status = NssStatus::kUnavail;
      bool have_canonical = false;
      // AF_INET6 first (also for AF_UNSPEC in glibc, but that takes by4 above).
      if (family == AF_INET6) {
        NameResult found;
        SourceReply reply = source_by3(entry.source, context, name, AF_INET6, &found);
        last = reply;
        if (is_internal_failure(reply)) return internal_failure(reply);
        if (reply.status == NssStatus::kSuccess) {
          if (found.count > 0) lookup->got_ipv6 = true;
          append_family(found, AF_INET6, family, out);
          if (found.canonical_name[0]) {
            set_canonical(out, found.canonical_name);
            have_canonical = true;
          }
          no_data = 0;
        } else {
          no_data = no_data_of(reply);
        }
        no_inet6_data = no_data;
        inet6_status = reply.status;
      }
      status = NssStatus::kUnavail;
      if (family == AF_INET || (family == AF_INET6 && (flags & AI_V4MAPPED) &&
                                ((flags & AI_ALL) || !lookup->got_ipv6))) {
        NameResult found;
        SourceReply reply = source_by3(entry.source, context, name, AF_INET, &found);
        last = reply;
        if (is_internal_failure(reply)) return internal_failure(reply);
        status = reply.status;
        if (reply.status == NssStatus::kSuccess) {
          if (found.count > 0) lookup->got_ipv6 = false;  // glibc keeps the last family's flag
          append_family(found, AF_INET, family, out);
          if (!have_canonical && found.canonical_name[0]) {
            set_canonical(out, found.canonical_name);
            have_canonical = true;
          }
          no_data = 0;
        } else {
          no_data = no_data_of(reply);
        }
        if (family == AF_INET) {
          no_inet6_data = no_data;
          inet6_status = status;
        }
      }
      if (inet6_status == NssStatus::kSuccess || status == NssStatus::kSuccess) {
        // glibc's getcanonname() falls back to the name asked for.
        if ((flags & AI_CANONNAME) && !have_canonical) set_canonical(out, name);
        status = NssStatus::kSuccess;
      } else if (inet6_status == NssStatus::kTryAgain) {
        status = NssStatus::kTryAgain;
      } else if (status == NssStatus::kUnavail && inet6_status != NssStatus::kUnavail) {
        status = inet6_status;
      }
    }

    NssAction action = next_action(entry, status);
    if (action == NssAction::kReturn) break;
    if (action == NssAction::kMerge) {
      // glibc: the hosts database does not support merging.
      out->count = 0;
      errno = EBUSY;
      return EAI_SYSTEM;
    }
  }

  if ((status == NssStatus::kTryAgain || status == NssStatus::kUnavail) &&
      last.h_errno_value == NETDB_INTERNAL)
    return internal_failure(last);

  if (out->count > 0 && status == NssStatus::kSuccess) return 0;
  out->count = 0;
  if (no_data != 0 && no_inet6_data != 0) {
    if (no_data == EAI_AGAIN && no_inet6_data == EAI_AGAIN) return EAI_AGAIN;
    return EAI_NODATA;
  }
  return 0;
}

// AI_IDN as glibc's __idna_to_dns_encoding classifies the name in the
// caller's locale. ASCII names pass unchanged. glibc hands other names to
// libidn2, which it loads with dlopen; we load nothing, so they fail as they
// do in glibc when libidn2 is absent (see README, "Differences").
int idn_check(const char* name) {
  mbstate_t state;
  memset(&state, 0, sizeof state);
  const char* p = name;
  const char* end = p + strlen(p) + 1;
  for (;;) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, p, end - p, &state);
    if (n == 0) return 0;
    if (n == static_cast<size_t>(-2)) return EAI_IDN_ENCODE;
    if (n == static_cast<size_t>(-1)) {
      if (errno == EILSEQ) return EAI_IDN_ENCODE;
      return errno == ENOMEM ? EAI_MEMORY : EAI_SYSTEM;
    }
    if (wc > 127) return EAI_IDN_ENCODE;
    p += n;
  }
}

}  // namespace

int lookup_name(const char* name, int family, int flags, NameLookup* lookup) {
  NameResult* out = &lookup->result;
  out->count = 0;
  out->truncated = false;
  out->canonical_name[0] = '\0';
  out->ttl = 0;
  out->source = AnswerSource::kNumeric;
  lookup->got_ipv6 = false;

  if (name == nullptr) {
    local_addresses(family, flags, out);
    note_answer_source(out->source);
    return 0;
  }

  int rc = 0;
  if ((flags & AI_IDN) && (rc = idn_check(name)) != 0) return rc;

  rc = numeric_lookup(name, family, flags, out);
  if (rc != kNotNumeric) {
    if (rc == 0) note_answer_source(out->source);
    return rc;
  }

  // The context (resolv.conf and friends) is large: keep it off the caller's
  // stack frame chain as little as possible, but one copy is needed so that a
  // lookup sees one consistent configuration.
  LookupContext context;
  load_lookup_context(&context);
  HostsLookupOrder order;
  current_hosts_order(&order);

  if (family == AF_INET && !(flags & AI_CANONNAME)) {
    rc = simple_ipv4_lookup(context, order, name, flags, out);
    if (rc == 0) note_answer_source(out->source);
    return rc;
  }

  rc = nss_lookup(context, order, name, family, flags, lookup);
  if (rc != 0) return rc;
  if (out->count == 0) return EAI_NONAME;
  if (flags & AI_CANONNAME) {
    if (out->canonical_name[0] == '\0') set_canonical(out, name);
  } else {
    out->canonical_name[0] = '\0';
  }
  note_answer_source(out->source);
  return 0;
}

}  // namespace aresolv
