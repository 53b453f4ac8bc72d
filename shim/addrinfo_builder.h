// Builds getaddrinfo's result list with glibc's memory layout: each node is
// one malloc'ed block holding the struct addrinfo followed by its sockaddr,
// and the canonical name is a separate block hung on the first node. Lists
// built here can be released by glibc's freeaddrinfo and the other way round.
#pragma once

#include <netdb.h>

#include "resolver/lookup_service.h"
#include "resolver/records.h"

namespace aresolv {

// Returns 0 and the list in *list, or EAI_MEMORY (with nothing allocated).
int build_addrinfo_list(const Address* addresses, int count, const ServiceResult& services,
                        int flags, const char* canonical_name, struct addrinfo** list);

void free_addrinfo_list(struct addrinfo* list);

}  // namespace aresolv
