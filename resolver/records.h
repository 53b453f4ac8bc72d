// Plain records passed between the lookup stages (the shape of musl's lookup.h).
// Nothing here allocates: a lookup fills fixed-size records, small enough for a
// 64 KiB thread stack, so that allocation failure can only happen where the
// shim builds the libc structures (and is reported there as EAI_MEMORY).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace aresolv {

// glibc caps nothing here. A DNS message of 64 KiB holds at most about 4000
// address records, so kMaxAddresses addresses hold any DNS answer, and more
// than any sane /etc/hosts gives for one name; beyond it `truncated` is set.
// The first kInlineAddresses live inside the record, small enough for a
// 64 KiB thread stack; a longer list moves to the heap.
constexpr int kInlineAddresses = 64;
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
  Address* addresses = inline_addresses;  // inline_addresses, or a heap block when it outgrew them
  int count = 0;
  int capacity = kInlineAddresses;
  char canonical_name[kMaxNameLength] = {0};  // empty when the source gave none
  uint32_t ttl = 0;                           // seconds; 0 for sources without a TTL
  bool truncated = false;                     // more addresses existed than fit
  bool out_of_memory = false;                 // the list could not grow: EAI_MEMORY
  AnswerSource source = AnswerSource::kNone;  // set by lookup_name
  Address inline_addresses[kInlineAddresses];

  NameResult() = default;
  NameResult(const NameResult&) = delete;
  NameResult& operator=(const NameResult&) = delete;
  ~NameResult() {
    if (addresses != inline_addresses) free(addresses);
  }

  bool add(const Address& a) {
    if (count == capacity && !grow()) return false;
    addresses[count++] = a;
    return true;
  }

  // Copies what is in use.
  void copy_from(const NameResult& other) {
    count = 0;
    for (int i = 0; i < other.count; ++i)
      if (!add(other.addresses[i])) break;
    truncated = truncated || other.truncated;
    out_of_memory = out_of_memory || other.out_of_memory;
    for (size_t i = 0; i < sizeof canonical_name; ++i) {
      canonical_name[i] = other.canonical_name[i];
      if (canonical_name[i] == '\0') break;
    }
    ttl = other.ttl;
    source = other.source;
  }

 private:
  bool grow() {
    if (capacity >= kMaxAddresses) {
      truncated = true;
      return false;
    }
    int larger = capacity * 4 < kMaxAddresses ? capacity * 4 : kMaxAddresses;
    auto* block = static_cast<Address*>(malloc(sizeof(Address) * static_cast<size_t>(larger)));
    if (block == nullptr) {
      truncated = true;
      out_of_memory = true;
      return false;
    }
    memcpy(block, addresses, sizeof(Address) * static_cast<size_t>(count));
    if (addresses != inline_addresses) free(addresses);
    addresses = block;
    capacity = larger;
    return true;
  }
};

}  // namespace aresolv
