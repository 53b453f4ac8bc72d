// nsswitch.conf text into parse_nsswitch_hosts.
#include <stddef.h>
#include <stdint.h>

#include "resolver/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  static HostsLookupOrder order;
  parse_nsswitch_hosts(reinterpret_cast<const char*>(data), size, &order);
  if (order.count < 0 || order.count > kMaxHostsSources) __builtin_trap();
  for (int i = 0; i < order.count; ++i) {
    const SourceEntry& entry = order.sources[i];
    if (entry.name[sizeof entry.name - 1] != '\0') __builtin_trap();
  }
  return 0;
}
