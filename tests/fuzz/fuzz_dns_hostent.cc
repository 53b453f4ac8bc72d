// DNS answers into gethostbyname*'s path: dns_parse_hostent_answer (nss_dns's
// getanswer_r) and dns_hostent_from_answer, which lays the hostent out in the
// caller's buffer (A, AAAA or PTR), with small buffers to exercise ERANGE.
// Input: 1 byte selecting the type, 2 bytes (big-endian) buffer size, the
// packet.
#include <arpa/nameser.h>
#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <initializer_list>

#include "resolver/dns_answer.h"
#include "resolver/hostent_lookup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aresolv;
  if (size < 3) return 0;
  static const int kTypes[] = {ns_t_a, ns_t_aaaa, ns_t_ptr};
  const int qtype = kTypes[data[0] % 3];
  size_t buffer_size = (static_cast<size_t>(data[1]) << 8 | data[2]) % 8192;
  const uint8_t* packet = data + 3;
  const size_t length = size - 3;

  if (qtype != ns_t_ptr) {
    HostentAnswer answer;
    int h_errno_value = 0;
    dns_parse_hostent_answer(packet, static_cast<int>(length), qtype, &answer, &h_errno_value);
    if (answer.alias_count < 0 || answer.alias_count > kMaxAliases) __builtin_trap();
    if (answer.result.count < 0 || answer.result.count > kMaxAddresses) __builtin_trap();
  }

  // An exactly sized heap buffer, so that any write past it is caught.
  for (size_t size_try : {buffer_size, static_cast<size_t>(1024)}) {
    char* buffer = static_cast<char*>(malloc(size_try ? size_try : 1));
    struct hostent host;
    memset(&host, 0, sizeof host);
    int h_errno_value = 0;
    HostNssStatus status =
        dns_hostent_from_answer(packet, length, qtype, &host, buffer, size_try, &h_errno_value);
    if (status == HostNssStatus::kSuccess) {
      if (host.h_name != nullptr) (void)strlen(host.h_name);
      if (qtype != ns_t_ptr) {
        for (char** alias = host.h_aliases; alias != nullptr && *alias != nullptr; ++alias)
          (void)strlen(*alias);
        for (char** address = host.h_addr_list; address != nullptr && *address != nullptr;
             ++address) {
          volatile char last = (*address)[host.h_length - 1];
          (void)last;
        }
      }
    }
    free(buffer);
  }
  return 0;
}
