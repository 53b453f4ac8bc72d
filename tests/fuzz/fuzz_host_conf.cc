// host.conf text into parse_host_conf, with and without RESOLV_MULTI.
#include <stddef.h>
#include <stdint.h>

#include <initializer_list>

#include "resolver/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  static HostConf conf;
  const char* text = reinterpret_cast<const char*>(data);
  parse_host_conf(text, size, nullptr, &conf);
  if (conf.trim_count < 0 || conf.trim_count > kMaxTrimDomains) __builtin_trap();
  for (const char* multi : {"on", "off", "bogus", ""}) parse_host_conf(text, size, multi, &conf);
  return 0;
}
