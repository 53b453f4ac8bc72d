// DNS answers into getaddrinfo's path: dns_parse_addrinfo_answer (nss_dns's
// gaih_getanswer) and the result into build_addrinfo_list, released by
// glibc's freeaddrinfo or ours (the layouts must be interchangeable).
// Input: 2 bytes (big-endian) length of the first packet, 1 byte of options,
// the first packet (the A answer), the rest (the AAAA answer, may be empty).
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "resolver/dns_answer.h"
#include "resolver/lookup_service.h"
#include "shim/addrinfo_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  if (size < 3) return 0;
  size_t len1 = static_cast<size_t>(data[0]) << 8 | data[1];
  const uint8_t options = data[2];
  data += 3;
  size -= 3;
  if (len1 > size) len1 = size;
  const uint8_t* packet2 = data + len1;
  const size_t len2 = size - len1;

  // Fresh each time, so that the heap part of a long address list is freed
  // (and leaks would show).
  NameResult result;
  int h_errno_value = 0;
  NssStatus status =
      dns_parse_addrinfo_answer(data, static_cast<int>(len1), (options & 1) ? nullptr : packet2,
                                static_cast<int>(len2), &result, &h_errno_value);
  if (result.count < 0 || result.count > kMaxAddresses) __builtin_trap();
  if (strnlen(result.canonical_name, kMaxNameLength) == kMaxNameLength) __builtin_trap();
  if (status != NssStatus::kSuccess && status != NssStatus::kNotFound &&
      status != NssStatus::kUnavail && status != NssStatus::kTryAgain)
    __builtin_trap();

  ServiceResult services;
  services.tuples[0] = {SOCK_STREAM, IPPROTO_TCP, htons(80)};
  services.tuples[1] = {SOCK_DGRAM, IPPROTO_UDP, htons(80)};
  services.tuples[2] = {SOCK_RAW, 0, 0};
  services.count = 1 + ((options >> 1) & 3) % 3;
  int flags = (options & 8) ? AI_CANONNAME : 0;
  if (options & 16) flags |= AI_V4MAPPED | AI_ALL;
  const char* canonical = result.canonical_name[0] ? result.canonical_name : nullptr;

  struct addrinfo* list = nullptr;
  if (build_addrinfo_list(result.addresses, result.count, services, flags, canonical, &list) != 0)
    return 0;
  int nodes = 0;
  for (struct addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    ++nodes;
    if (ai->ai_addr == nullptr || ai->ai_addr->sa_family != ai->ai_family) __builtin_trap();
    volatile uint8_t last = reinterpret_cast<const uint8_t*>(ai->ai_addr)[ai->ai_addrlen - 1];
    (void)last;
    if (ai->ai_canonname != nullptr) (void)strlen(ai->ai_canonname);
  }
  if (nodes != result.count * services.count) __builtin_trap();
  if (options & 32) {
    freeaddrinfo(list);
  } else {
    free_addrinfo_list(list);
  }
  return 0;
}
