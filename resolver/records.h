// Plain records passed between the lookup stages (the shape of musl's lookup.h).
// Nothing here allocates: a lookup fills fixed-size records, small enough for a
// 64 KiB thread stack, so that allocation failure can only happen where the
// shim builds the libc structures (and is reported there as EAI_MEMORY).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aresolv {

// glibc caps nothing here. A DNS message of 64 KiB holds at most about 4000
// address records, so this many addresses hold any DNS answer, and more than
// any sane /etc/hosts gives for one name; beyond it `truncated` is set. A
// NameResult is therefore about 100 KiB: it lives on the heap (HeapRecord in
// base.h), never on a thread stack.
constexpr int kMaxAddresses = 4096;
constexpr int kMaxNameLength = 256;  // NS_MAXDNAME would be 1025; a DNS name is at most 255 octets.

struct Address {
  int family;         // AF_INET or AF_INET6
  uint32_t scope_id;  // sin6_scope_id, 0 for AF_INET
  uint8_t bytes[16];  // network order; AF_INET uses the first 4
};

// The outcome of one stage, in the terms NSS modules report (nss_status plus
// h_errno), because glibc's getaddrinfo derives its EAI_* codes from those.
enum class Status {
  kSuccess,   // NSS_STATUS_SUCCESS
  kNotFound,  // NSS_STATUS_NOTFOUND, h_errno HOST_NOT_FOUND
  kNoData,    // NSS_STATUS_NOTFOUND, h_errno NO_DATA (name exists, no address of that family)
  kTryAgain,  // NSS_STATUS_TRYAGAIN, h_errno TRY_AGAIN (timeout, SERVFAIL)
  kUnavail,   // NSS_STATUS_UNAVAIL, h_errno NO_RECOVERY (REFUSED, FORMERR, no server)
  kNoMemory,  // allocation failed
  kSystem,    // a system call failed; errno says why
};

// The status an NSS module reports (enum nss_status), which the actions of an
// nsswitch.conf line test; h_errno travels beside it.
enum class NssStatus { kSuccess, kNotFound, kUnavail, kTryAgain };

// Where the answer of a lookup came from (`aresolv resolve`, ARESOLV_DEBUG).
enum class AnswerSource : uint8_t {
  kNone,        // nothing answered
  kNumeric,     // a literal address, or no name (local addresses)
  kHosts,       // /etc/hosts
  kDns,         // the name servers
  kDnsCache,    // DNS answers replayed from the in-process cache only
  kMyHostname,  // localhost and the machine's own name
};

struct NameResult {
  Address addresses[kMaxAddresses];
  int count = 0;
  char canonical_name[kMaxNameLength] = {0};  // empty when the source gave none
  uint32_t ttl = 0;                           // seconds; 0 for sources without a TTL
  bool truncated = false;                     // more addresses existed than fit
  AnswerSource source = AnswerSource::kNone;  // set by lookup_name

  bool add(const Address& a) {
    if (count >= kMaxAddresses) {
      truncated = true;
      return false;
    }
    addresses[count++] = a;
    return true;
  }

  // Copies what is in use (a plain assignment would copy all 100 KiB).
  void copy_from(const NameResult& other) {
    count = other.count;
    for (int i = 0; i < count; ++i) addresses[i] = other.addresses[i];
    for (size_t i = 0; i < sizeof canonical_name; ++i) {
      canonical_name[i] = other.canonical_name[i];
      if (canonical_name[i] == '\0') break;
    }
    ttl = other.ttl;
    truncated = other.truncated;
    source = other.source;
  }
};

}  // namespace aresolv
