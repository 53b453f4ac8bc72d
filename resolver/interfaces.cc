#include "resolver/interfaces.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "resolver/base.h"
#include "resolver/recheck.h"

#ifndef IFA_F_HOMEADDRESS
#define IFA_F_HOMEADDRESS 0
#endif
#ifndef IFA_F_OPTIMISTIC
#define IFA_F_OPTIMISTIC 0
#endif

namespace aresolv {
namespace {

// glibc receives into one page; a larger dump message would be MSG_TRUNC, which
// glibc treats as failure. The kernel sizes its dump messages from the reader's
// buffer, so using the same size keeps the same outcome.
constexpr size_t kReceiveBufferSize = 4096;

void set_pessimistic(LocalAddresses* out) {
  out->seen_ipv4 = true;
  out->seen_ipv6 = true;
  out->listed = false;
  out->truncated = false;
  out->count = 0;
}

void record_address(const struct ifaddrmsg* ifam, const void* address, LocalAddresses* out,
                    bool* seen_ipv4, bool* seen_ipv6) {
  LocalAddress entry;
  memset(&entry, 0, sizeof entry);
  if (ifam->ifa_family == AF_INET) {
    in_addr_t v4;
    memcpy(&v4, address, sizeof v4);
    if (v4 != htonl(INADDR_LOOPBACK)) *seen_ipv4 = true;
    entry.bytes[10] = 0xff;
    entry.bytes[11] = 0xff;
    memcpy(entry.bytes + 12, &v4, 4);
  } else {
    memcpy(entry.bytes, address, 16);
    if (!IN6_IS_ADDR_LOOPBACK(reinterpret_cast<const struct in6_addr*>(entry.bytes)))
      *seen_ipv6 = true;
  }
  entry.interface_index = ifam->ifa_index;
  entry.prefix_length = ifam->ifa_prefixlen;
  entry.flags = static_cast<uint8_t>(
      ((ifam->ifa_flags & (IFA_F_DEPRECATED | IFA_F_OPTIMISTIC)) ? kLocalAddressDeprecated : 0) |
      ((ifam->ifa_flags & IFA_F_HOMEADDRESS) ? kLocalAddressHomeAddress : 0));
  if (out->count < kMaxLocalAddresses)
    out->addresses[out->count++] = entry;
  else
    out->truncated = true;
}

// Returns 1 when the dump is complete, 0 to keep reading, -1 on failure.
int process_messages(const char* buffer, ssize_t length, uint32_t own_pid, uint32_t sequence,
                     const struct sockaddr_nl& sender, LocalAddresses* out, bool* seen_ipv4,
                     bool* seen_ipv6) {
  int done = 0;
  for (const struct nlmsghdr* nlh = reinterpret_cast<const struct nlmsghdr*>(buffer);
       NLMSG_OK(nlh, static_cast<size_t>(length)); nlh = NLMSG_NEXT(nlh, length)) {
    if (sender.nl_pid != 0 || nlh->nlmsg_pid != own_pid || nlh->nlmsg_seq != sequence) continue;
    if (nlh->nlmsg_type == NLMSG_DONE) {
      done = 1;
      continue;
    }
    // glibc would wait for NLMSG_DONE forever here; giving up is the only
    // sane reading of an error answer to a dump.
    if (nlh->nlmsg_type == NLMSG_ERROR) return -1;
    if (nlh->nlmsg_type != RTM_NEWADDR) continue;
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifaddrmsg))) continue;
    const struct ifaddrmsg* ifam = static_cast<const struct ifaddrmsg*>(NLMSG_DATA(nlh));
    if (ifam->ifa_family != AF_INET && ifam->ifa_family != AF_INET6) continue;
    size_t attr_length = nlh->nlmsg_len - NLMSG_LENGTH(sizeof *ifam);
    size_t want = ifam->ifa_family == AF_INET ? 4 : 16;
    const void* local = nullptr;
    const void* address = nullptr;
    // IFA_ADDRESS wins over IFA_LOCAL, even when it is the peer of a
    // point-to-point link: glibc stops at the first IFA_ADDRESS.
    for (const struct rtattr* rta = IFA_RTA(ifam); RTA_OK(rta, attr_length);
         rta = RTA_NEXT(rta, attr_length)) {
      if (RTA_PAYLOAD(rta) < want) continue;
      if (rta->rta_type == IFA_LOCAL) local = RTA_DATA(rta);
      if (rta->rta_type == IFA_ADDRESS) {
        address = RTA_DATA(rta);
        break;
      }
    }
    if (address == nullptr) address = local;
    if (address == nullptr) continue;  // glibc would dereference NULL
    record_address(ifam, address, out, seen_ipv4, seen_ipv6);
  }
  return done;
}

bool ask_kernel(LocalAddresses* out);

// Copies the entries in use, not all kMaxLocalAddresses (3 KiB): this runs
// on every AI_ADDRCONFIG lookup.
void copy_local_addresses(LocalAddresses* to, const LocalAddresses& from) {
  to->seen_ipv4 = from.seen_ipv4;
  to->seen_ipv6 = from.seen_ipv6;
  to->listed = from.listed;
  to->truncated = from.truncated;
  to->count = from.count;
  memcpy(to->addresses, from.addresses, sizeof(LocalAddress) * static_cast<size_t>(from.count));
}

// The last list the kernel gave, for the calls of the following second.
struct AddressMemo {
  Mutex mutex;
  bool valid = false;
  long taken_ms = 0;
  LocalAddresses addresses = {};  // constant-initialized: no constructor at load
};
AddressMemo g_memo;
pthread_once_t g_memo_once = PTHREAD_ONCE_INIT;

void reset_memo_in_child() { g_memo.mutex.reset_after_fork(); }
void register_memo_atfork() { pthread_atfork(nullptr, nullptr, reset_memo_in_child); }

}  // namespace

bool query_local_addresses(LocalAddresses* out) {
  long now = coarse_monotonic_ms();
  if (!recheck_memos_enabled()) {
    limit_answer_repeat(now);
    return ask_kernel(out);
  }
  pthread_once(&g_memo_once, register_memo_atfork);
  {
    LockGuard lock(g_memo.mutex);
    if (g_memo.valid && now >= g_memo.taken_ms && now - g_memo.taken_ms < kRecheckIntervalMs) {
      copy_local_addresses(out, g_memo.addresses);
      limit_answer_repeat(g_memo.taken_ms + kRecheckIntervalMs);
      return true;
    }
  }
  // A failure is not remembered: the next call asks again, as glibc does.
  if (!ask_kernel(out)) {
    limit_answer_repeat(now);
    return false;
  }
  LockGuard lock(g_memo.mutex);
  copy_local_addresses(&g_memo.addresses, *out);
  g_memo.taken_ms = now;
  g_memo.valid = true;
  limit_answer_repeat(now + kRecheckIntervalMs);
  return true;
}

namespace {

bool ask_kernel(LocalAddresses* out) {
  out->seen_ipv4 = false;
  out->seen_ipv6 = false;
  out->listed = false;
  out->truncated = false;
  out->count = 0;

  UniqueFd fd(socket(PF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd.valid()) {
    set_pessimistic(out);
    return false;
  }
  struct sockaddr_nl nladdr;
  memset(&nladdr, 0, sizeof nladdr);
  nladdr.nl_family = AF_NETLINK;
  socklen_t addr_length = sizeof nladdr;
  if (bind(fd.get(), reinterpret_cast<struct sockaddr*>(&nladdr), sizeof nladdr) != 0 ||
      getsockname(fd.get(), reinterpret_cast<struct sockaddr*>(&nladdr), &addr_length) != 0) {
    set_pessimistic(out);
    return false;
  }
  const uint32_t own_pid = nladdr.nl_pid;

  struct {
    struct nlmsghdr nlh;
    struct rtgenmsg g;
    char pad[3];
  } request;
  memset(&request, 0, sizeof request);
  request.nlh.nlmsg_len = sizeof request;
  request.nlh.nlmsg_type = RTM_GETADDR;
  request.nlh.nlmsg_flags = NLM_F_ROOT | NLM_F_MATCH | NLM_F_REQUEST;
  request.nlh.nlmsg_seq = static_cast<uint32_t>(time(nullptr));
  request.g.rtgen_family = AF_UNSPEC;

  memset(&nladdr, 0, sizeof nladdr);
  nladdr.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd.get(), &request, sizeof request, 0,
                  reinterpret_cast<struct sockaddr*>(&nladdr), sizeof nladdr);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    set_pessimistic(out);
    return false;
  }

  MallocPtr<char> buffer(static_cast<char*>(malloc(kReceiveBufferSize)));
  if (!buffer) {
    set_pessimistic(out);
    return false;
  }
  bool seen_ipv4 = false;
  bool seen_ipv6 = false;
  for (;;) {
    struct iovec iov = {buffer.get(), kReceiveBufferSize};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &nladdr;
    msg.msg_namelen = sizeof nladdr;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t received;
    do {
      received = recvmsg(fd.get(), &msg, 0);
    } while (received < 0 && errno == EINTR);
    if (received <= 0 || (msg.msg_flags & MSG_TRUNC)) {
      set_pessimistic(out);
      return false;
    }
    int state = process_messages(buffer.get(), received, own_pid, request.nlh.nlmsg_seq, nladdr,
                                 out, &seen_ipv4, &seen_ipv6);
    if (state < 0) {
      set_pessimistic(out);
      return false;
    }
    if (state > 0) break;
  }

  out->seen_ipv4 = seen_ipv4;
  out->seen_ipv6 = seen_ipv6;
  out->listed = true;
  if (!seen_ipv6) {
    // glibc keeps the per-address list only when a non-loopback IPv6
    // address exists; otherwise the sort finds no prefix lengths or flags.
    out->count = 0;
    out->truncated = false;
  }
  return true;
}

}  // namespace

int addrconfig_family(int requested_family, bool seen_ipv4, bool seen_ipv6) {
  if (requested_family == AF_UNSPEC && (seen_ipv4 || seen_ipv6)) {
    if (seen_ipv4 != seen_ipv6) return seen_ipv4 ? AF_INET : AF_INET6;
    return AF_UNSPEC;
  }
  if ((requested_family == AF_INET && !seen_ipv4) || (requested_family == AF_INET6 && !seen_ipv6))
    return -1;
  return requested_family;
}

void sort_local_addresses(LocalAddresses* addresses) {
  // Insertion sort: stable, like glibc's merge sort, and the list is short.
  LocalAddress* a = addresses->addresses;
  for (int i = 1; i < addresses->count; ++i) {
    LocalAddress moving = a[i];
    int j = i;
    while (j > 0 && memcmp(a[j - 1].bytes, moving.bytes, 16) > 0) {
      a[j] = a[j - 1];
      --j;
    }
    a[j] = moving;
  }
}

const LocalAddress* find_local_address(const LocalAddresses& sorted, const uint8_t bytes[16]) {
  // glibc's bsearch, step for step, so that duplicates resolve alike.
  size_t low = 0;
  size_t high = static_cast<size_t>(sorted.count);
  while (low < high) {
    size_t middle = (low + high) / 2;
    int c = memcmp(bytes, sorted.addresses[middle].bytes, 16);
    if (c < 0)
      high = middle;
    else if (c > 0)
      low = middle + 1;
    else
      return &sorted.addresses[middle];
  }
  return nullptr;
}

}  // namespace aresolv
