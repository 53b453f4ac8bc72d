#include "resolver/sources.h"

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>

#include "resolver/dns.h"
#include "resolver/hosts.h"
#include "resolver/myhostname.h"

namespace aresolv {
namespace {

// Our Status folds nss_status and the common h_errno values together; the
// sources that know a more precise h_errno (DNS) pass it on instead.
SourceReply reply_of(Status status, int h_errno_value) {
  switch (status) {
    case Status::kSuccess:
      return {NssStatus::kSuccess, h_errno_value, 0};
    case Status::kNotFound:
      return {NssStatus::kNotFound, h_errno_value, 0};
    case Status::kNoData:
      return {NssStatus::kNotFound, h_errno_value, 0};
    case Status::kTryAgain:
      return {NssStatus::kTryAgain, h_errno_value, 0};
    case Status::kUnavail:
      // NETDB_INTERNAL: a system call failed (out of descriptors) and errno
      // says which; getaddrinfo's EAI_SYSTEM hands it to the caller.
      return {NssStatus::kUnavail, h_errno_value, h_errno_value == NETDB_INTERNAL ? errno : 0};
    case Status::kNoMemory:
      return {NssStatus::kTryAgain, NETDB_INTERNAL, ENOMEM};
    case Status::kSystem:
      return {NssStatus::kUnavail, NETDB_INTERNAL, errno};
  }
  return {NssStatus::kUnavail, NO_RECOVERY, 0};
}

int files_h_errno(Status status, bool by4) {
  switch (status) {
    case Status::kSuccess:
      return NETDB_SUCCESS;
    case Status::kNotFound:
      return HOST_NOT_FOUND;
    case Status::kNoData:
      return NO_DATA;
    // An absent /etc/hosts: gethostbyname4_r says NO_DATA, gethostbyname3_r
    // leaves h_errno alone (it is then whatever came before: nothing useful).
    case Status::kUnavail:
      return by4 ? NO_DATA : NETDB_SUCCESS;
    default:
      return NETDB_INTERNAL;
  }
}

}  // namespace

void load_lookup_context(LookupContext* context) {
  context->settings = &settings();
  current_resolv_conf(&context->resolv_conf);
  context->host_conf = current_host_conf();
}

NssAction next_action(const SourceEntry& entry, NssStatus status) {
  switch (status) {
    case NssStatus::kSuccess:
      return entry.actions[kNssSuccess];
    case NssStatus::kNotFound:
      return entry.actions[kNssNotFound];
    case NssStatus::kUnavail:
      return entry.actions[kNssUnavail];
    case NssStatus::kTryAgain:
      return entry.actions[kNssTryAgain];
  }
  return NssAction::kContinue;
}

SourceReply source_by4(HostsSource source, const LookupContext& context, const char* name,
                       NameResult* out) {
  switch (source) {
    case HostsSource::kFiles: {
      Status s = hosts_by_name4(context.settings->hosts_path, context.host_conf.multi, name, out);
      return reply_of(s, files_h_errno(s, true));
    }
    case HostsSource::kDns: {
      int h_error = NETDB_SUCCESS;
      Status s = dns_lookup_name(context.resolv_conf, name, AF_UNSPEC, out, &h_error);
      return reply_of(s, h_error);
    }
    case HostsSource::kMyHostname: {
      Status s = myhostname_lookup(name, AF_UNSPEC, out);
      return reply_of(s, s == Status::kSuccess ? NETDB_SUCCESS : HOST_NOT_FOUND);
    }
    case HostsSource::kSkipped:
      break;
  }
  return {NssStatus::kUnavail, NETDB_INTERNAL, EBUSY};
}

SourceReply source_by3(HostsSource source, const LookupContext& context, const char* name,
                       int family, NameResult* out) {
  switch (source) {
    case HostsSource::kFiles: {
      Status s = hosts_by_name3(context.settings->hosts_path, context.host_conf.multi, name, family,
                                out, nullptr);
      return reply_of(s, files_h_errno(s, false));
    }
    case HostsSource::kDns: {
      int h_error = NETDB_SUCCESS;
      Status s = dns_lookup_name(context.resolv_conf, name, family, out, &h_error);
      return reply_of(s, h_error);
    }
    case HostsSource::kMyHostname: {
      Status s = myhostname_lookup(name, family, out);
      if (s == Status::kSuccess && out->count == 0) s = Status::kNotFound;
      return reply_of(s, s == Status::kSuccess ? NETDB_SUCCESS : HOST_NOT_FOUND);
    }
    case HostsSource::kSkipped:
      break;
  }
  return {NssStatus::kUnavail, NETDB_INTERNAL, EBUSY};
}

}  // namespace aresolv
