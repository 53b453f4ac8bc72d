#include "resolver/lookup_service.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "resolver/services.h"

namespace aresolv {
namespace {

// glibc's gaih_inet_typeproto table, in its order: the order of the results
// for a lookup without socket type comes from here.
struct TypeProto {
  int socktype;
  int protocol;
  bool protocol_any;  // SOCK_RAW: takes the caller's protocol, has no services
  bool by_default;    // returned when the caller names no socket type or protocol
  const char* name;   // protocol name in /etc/services
};

constexpr TypeProto kTypeProtos[] = {
    {SOCK_STREAM, IPPROTO_TCP, false, true, "tcp"},
    {SOCK_DGRAM, IPPROTO_UDP, false, true, "udp"},
    {SOCK_DCCP, IPPROTO_DCCP, false, false, "dccp"},
    {SOCK_DGRAM, IPPROTO_UDPLITE, false, false, "udplite"},
    {SOCK_STREAM, IPPROTO_SCTP, false, false, "sctp"},
    {SOCK_SEQPACKET, IPPROTO_SCTP, false, false, "sctp"},
    {SOCK_RAW, 0, true, true, "raw"},
};

bool matches(const TypeProto& tp, int socktype, int protocol) {
  if (socktype != 0 && socktype != tp.socktype) return false;
  if (protocol != 0 && !tp.protocol_any && protocol != tp.protocol) return false;
  return true;
}

void add(ServiceResult* out, const TypeProto& tp, int requested_protocol, uint16_t port) {
  ServiceTuple& t = out->tuples[out->count++];
  t.socktype = tp.socktype;
  t.protocol = tp.protocol_any ? requested_protocol : tp.protocol;
  t.port = port;
}

}  // namespace

int lookup_service(const char* service, int socktype, int protocol, int flags,
                   const char* services_path, ServiceResult* out) {
  out->count = 0;

  // glibc parses with strtoul: leading blanks and signs are accepted, and a
  // value that does not fit an int ("-1") counts as a name, not a number.
  long number = -1;
  if (service != nullptr) {
    char* end;
    number = static_cast<int>(strtoul(service, &end, 10));
    if (*end != '\0') {
      if (flags & AI_NUMERICSERV) return EAI_NONAME;
      number = -1;
    }
  }

  const TypeProto* chosen = nullptr;  // the first entry matching the hints, if any given
  if (socktype != 0 || protocol != 0) {
    for (const TypeProto& tp : kTypeProtos) {
      if (matches(tp, socktype, protocol)) {
        chosen = &tp;
        break;
      }
    }
    if (chosen == nullptr) return socktype != 0 ? EAI_SOCKTYPE : EAI_SERVICE;
  }

  if (service != nullptr && chosen != nullptr && chosen->protocol_any) return EAI_SERVICE;

  if (service == nullptr || number >= 0) {
    uint16_t port = htons(static_cast<uint16_t>(service != nullptr ? number : 0));
    if (chosen != nullptr) {
      add(out, *chosen, protocol, port);
      return 0;
    }
    for (const TypeProto& tp : kTypeProtos)
      if (tp.by_default) add(out, tp, protocol, port);
    return 0;
  }

  if (chosen != nullptr) {
    uint16_t port;
    Status s = services_port_by_name(services_path, service, chosen->name, &port);
    if (s == Status::kNoMemory) return EAI_MEMORY;
    if (s != Status::kSuccess) return EAI_SERVICE;
    add(out, *chosen, protocol, htons(port));
    return 0;
  }

  for (const TypeProto& tp : kTypeProtos) {
    if (tp.protocol_any) continue;  // raw sockets have no services
    uint16_t port;
    Status s = services_port_by_name(services_path, service, tp.name, &port);
    if (s == Status::kNoMemory) return EAI_MEMORY;
    if (s == Status::kSuccess) add(out, tp, protocol, htons(port));
  }
  return out->count > 0 ? 0 : EAI_SERVICE;
}

}  // namespace aresolv
