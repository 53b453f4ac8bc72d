#include "shim/addrinfo_builder.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

namespace aresolv {

void free_addrinfo_list(struct addrinfo* list) {
  while (list != nullptr) {
    struct addrinfo* next = list->ai_next;
    free(list->ai_canonname);
    free(list);
    list = next;
  }
}

static struct addrinfo* new_node(const Address& address, const ServiceTuple& service, int flags) {
  socklen_t length = address.family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  // malloc, not calloc: glibc's calloc bypasses the per-thread cache.
  size_t size = sizeof(struct addrinfo) + length;
  auto* node = static_cast<struct addrinfo*>(malloc(size));
  if (node == nullptr) return nullptr;
  memset(node, 0, size);
  node->ai_flags = flags;
  node->ai_family = address.family;
  node->ai_socktype = service.socktype;
  node->ai_protocol = service.protocol;
  node->ai_addrlen = length;
  node->ai_addr = reinterpret_cast<sockaddr*>(node + 1);
  if (address.family == AF_INET6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(node->ai_addr);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = service.port;
    memcpy(&sin6->sin6_addr, address.bytes, 16);
    sin6->sin6_scope_id = address.scope_id;
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(node->ai_addr);
    sin->sin_family = AF_INET;
    sin->sin_port = service.port;
    memcpy(&sin->sin_addr, address.bytes, 4);
  }
  return node;
}

int build_addrinfo_list(const Address* addresses, int count, const ServiceResult& services,
                        int flags, const char* canonical_name, struct addrinfo** list) {
  struct addrinfo* head = nullptr;
  struct addrinfo** tail = &head;
  for (int i = 0; i < count; ++i) {
    for (int s = 0; s < services.count; ++s) {
      struct addrinfo* node = new_node(addresses[i], services.tuples[s], flags);
      if (node == nullptr) {
        free_addrinfo_list(head);
        return EAI_MEMORY;
      }
      *tail = node;
      tail = &node->ai_next;
    }
  }
  if (head != nullptr && canonical_name != nullptr) {
    head->ai_canonname = strdup(canonical_name);
    if (head->ai_canonname == nullptr) {
      free_addrinfo_list(head);
      return EAI_MEMORY;
    }
  }
  *list = head;
  return 0;
}

}  // namespace aresolv
