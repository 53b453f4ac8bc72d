// The answers of systemd's nss-myhostname, natively: "localhost" (and names
// under .localhost) are the loopback addresses, the machine's own host name is
// its interface addresses (or 127.0.0.2 and ::1 when it has none).
#pragma once

#include "resolver/records.h"

namespace aresolv {

// family: AF_UNSPEC for both. Returns kSuccess or kNotFound.
Status myhostname_lookup(const char* name, int family, NameResult* out);

}  // namespace aresolv
