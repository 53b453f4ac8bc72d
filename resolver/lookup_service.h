// Service lookup for getaddrinfo: turns a service string and the hints'
// socket type and protocol into the list of (socktype, protocol, port) tuples
// glibc's get_servtuples produces, from our own /etc/services parser.
#pragma once

#include <stdint.h>

namespace aresolv {

struct ServiceTuple {
  int socktype;
  int protocol;
  uint16_t port;  // network byte order, as it goes into the sockaddr
};

// One tuple per entry of glibc's socket type table at most.
constexpr int kMaxServiceTuples = 8;

struct ServiceResult {
  ServiceTuple tuples[kMaxServiceTuples];
  int count = 0;
};

// `service` is nullptr when the caller gave none (or an empty string, or "*").
// Returns 0 or an EAI_* code: EAI_SOCKTYPE, EAI_SERVICE, EAI_NONAME
// (AI_NUMERICSERV with a name), EAI_MEMORY.
int lookup_service(const char* service, int socktype, int protocol, int flags,
                   const char* services_path, ServiceResult* out);

}  // namespace aresolv
