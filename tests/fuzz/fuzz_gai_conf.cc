// gai.conf text into parse_gai_conf, then the policy values of a few
// addresses against the parsed tables.
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "resolver/gai_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  ScopedGaiPolicy policy;
  if (!parse_gai_conf(reinterpret_cast<const char*>(data), size, policy.get())) return 0;
  if (policy->label_count < 1 || policy->precedence_count < 1 || policy->scope_count < 1)
    __builtin_trap();
  static const char* const kAddresses[] = {
      "::1",         "2001:db8::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "ff02::1",
      "2002:c000::", "::",          "3ffe::1", "fec0::1", "64:ff9b::1"};
  for (const char* text : kAddresses) {
    Address address{};
    address.family = AF_INET6;
    inet_pton(AF_INET6, text, address.bytes);
    gai_label(*policy, address);
    gai_precedence(*policy, address);
    gai_scope(*policy, address);
  }
  static const char* const kIpv4[] = {"127.0.0.1", "10.1.2.3", "169.254.1.1",
                                      "192.0.2.1", "0.0.0.0",  "255.255.255.255"};
  for (const char* text : kIpv4) {
    Address address{};
    address.family = AF_INET;
    inet_pton(AF_INET, text, address.bytes);
    gai_label(*policy, address);
    gai_precedence(*policy, address);
    gai_scope(*policy, address);
  }
  // A second parse into the same policy frees the first tables.
  parse_gai_conf(reinterpret_cast<const char*>(data), size / 2, policy.get());
  return 0;
}
