// The last answers getaddrinfo gave on this thread, repeated without another
// lookup for as long as every input they were made from may be remembered
// (recheck.h: a second for files, interfaces and sort probes; the rest of
// the TTL for DNS answers, which the DNS cache reports). Within that window
// a repeat is exactly what a new lookup would give, only without its locks,
// reference counts and copies.
//
// The memo belongs to one thread: nothing in it is shared, so that threads
// asking the same question do not contend for it. It is allocated on the
// thread's first lookup and freed when the thread exits. A fork()ed child
// keeps the forking thread's memo, which stays true in the child.
#pragma once

#include <stdint.h>

#include "resolver/lookup_service.h"
#include "resolver/records.h"

namespace aresolv {

// Everything getaddrinfo's answer depends on that the caller chooses.
struct GaiQuestion {
  const char* node;     // nullptr: no node
  const char* service;  // nullptr: no service
  int flags;
  int family;
  int socktype;
  int protocol;
};

constexpr int kRepeatedAddresses = 8;    // longer lists are looked up each time
constexpr int kRepeatedTextBytes = 200;  // node, service and canonical name together
constexpr int kRepeatedAnswersPerThread = 8;

// A composed answer as getaddrinfo builds its list from it.
struct RepeatedAnswer {
  long until_ms;  // coarse_monotonic_ms(); 0 for an empty slot
  uint32_t generation;
  int flags;
  int family;
  int socktype;
  int protocol;
  int node_length;          // -1 for no node
  int service_length;       // -1 for no service
  bool has_canonical_name;  // stored in text after the node and the service
  AnswerSource source;
  int count;
  Address addresses[kRepeatedAddresses];
  ServiceResult services;
  char text[kRepeatedTextBytes];

  const char* canonical_name() const {
    // A missing node or service (length -1) takes no room in text.
    return has_canonical_name ? text + (node_length + 1) + (service_length + 1) : nullptr;
  }
};

// Whether answers to questions with these flags may be repeated at all:
// the memos are on (ARESOLV_CACHE), and the answer does not depend on the
// caller's locale (AI_IDN).
bool answer_memo_applies(int flags);

// The remembered answer to `question`, valid until the next lookup on this
// thread; nullptr when there is none still within its window.
const RepeatedAnswer* recall_answer(const GaiQuestion& question);

// Remembers a successful answer until `until_ms` (AnswerRepeatWindow). Does
// nothing when it does not fit or the window has closed already.
void remember_answer(const GaiQuestion& question, const Address* addresses, int count,
                     const ServiceResult& services, const char* canonical_name, AnswerSource source,
                     long until_ms);

// Makes every thread's remembered answers unusable (the configuration changed).
void forget_repeated_answers();

}  // namespace aresolv
