// One door to the host sources named on the nsswitch.conf hosts line, with the
// two calling conventions glibc's getaddrinfo uses: gethostbyname4_r (both
// families at once, for AF_UNSPEC) and gethostbyname3_r / gethostbyname2_r
// (one family, with the canonical name and aliases).
#pragma once

#include "resolver/config.h"
#include "resolver/records.h"

namespace aresolv {

// What an NSS module reports: its status, h_errno and errno (the latter only
// meaningful when h_errno is NETDB_INTERNAL).
struct SourceReply {
  NssStatus status;
  int h_errno_value;
  int errno_value;
};

// Configuration for one lookup, read once at its start so that every source
// sees the same files even if they change meanwhile.
struct LookupContext {
  ResolvConf resolv_conf;
  HostConf host_conf;
  const Settings* settings;
};

void load_lookup_context(LookupContext* context);

// gethostbyname4_r: addresses of both families in the source's order; the
// canonical name goes to out->canonical_name.
SourceReply source_by4(HostsSource source, const LookupContext& context, const char* name,
                       NameResult* out);

// gethostbyname3_r for one family (AF_INET or AF_INET6).
SourceReply source_by3(HostsSource source, const LookupContext& context, const char* name,
                       int family, NameResult* out);

// Maps the index of NssStatus to the action table of config.h.
NssAction next_action(const SourceEntry& entry, NssStatus status);

}  // namespace aresolv
