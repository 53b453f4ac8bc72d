// resolv.conf into parse_resolv_conf. Input: file text, then optionally
// "\0LOCALDOMAIN\0RES_OPTIONS\0HOSTNAME" (each part present only when the
// input has that many NULs), so that the environment overrides are fuzzed too.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <string>

#include "resolver/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  const char* text = reinterpret_cast<const char*>(data);
  // The file text runs to the first "\0\0\0" separator, if any (a NUL alone
  // is a legitimate part of the file text).
  size_t text_length = size;
  std::string parts[3];
  bool have_part[3] = {false, false, false};
  for (size_t i = 0; i + 2 < size; ++i) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 0) {
      text_length = i;
      size_t at = i + 3;
      for (int p = 0; p < 3 && at <= size; ++p) {
        const void* nul = memchr(data + at, 0, size - at);
        size_t end = nul ? static_cast<const uint8_t*>(nul) - data : size;
        parts[p].assign(text + at, end - at);
        have_part[p] = true;
        at = end + 1;
      }
      break;
    }
  }
  static ResolvConf conf;
  parse_resolv_conf(text, text_length, have_part[0] ? parts[0].c_str() : nullptr,
                    have_part[1] ? parts[1].c_str() : nullptr,
                    have_part[2] ? parts[2].c_str() : "sandbox.corp.test", &conf);
  if (conf.nameserver_count < 0 || conf.nameserver_count > kMaxNameservers) __builtin_trap();
  if (conf.search_count < 0 || conf.search_count > kMaxSearchDomains) __builtin_trap();
  for (int i = 0; i < conf.search_count; ++i) {
    if (conf.search.offsets[i] >= kMaxSearchListChars) __builtin_trap();
    if (strnlen(conf.search[i], kMaxSearchListChars - conf.search.offsets[i]) ==
        static_cast<size_t>(kMaxSearchListChars - conf.search.offsets[i]))
      __builtin_trap();  // not terminated inside the storage
  }
  if (conf.ndots < 0 || conf.ndots > 15 || conf.timeout > 30 || conf.attempts > 5) __builtin_trap();
  uint8_t address[4];
  parse_ipv4_exact(text, text_length < 64 ? text_length : 64, address);
  return 0;
}
