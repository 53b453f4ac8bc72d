#include "resolver/sort.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver/base.h"
#include "resolver/recheck.h"

namespace aresolv {
namespace {

union SocketAddress {
  struct sockaddr sa;
  struct sockaddr_in in;
  struct sockaddr_in6 in6;
};

socklen_t make_sockaddr(const Address& a, uint16_t port, SocketAddress* out) {
  memset(out, 0, sizeof *out);
  if (a.family == AF_INET) {
    out->in.sin_family = AF_INET;
    out->in.sin_port = port;
    memcpy(&out->in.sin_addr, a.bytes, 4);
    return sizeof out->in;
  }
  out->in6.sin6_family = AF_INET6;
  out->in6.sin6_port = port;
  memcpy(&out->in6.sin6_addr, a.bytes, 16);
  out->in6.sin6_scope_id = a.scope_id;
  return sizeof out->in6;
}

// glibc compares the whole sockaddr of consecutive results.
bool same_destination(const Address& a, const Address& b) {
  if (a.family != b.family) return false;
  if (a.family == AF_INET) return memcmp(a.bytes, b.bytes, 4) == 0;
  return a.scope_id == b.scope_id && memcmp(a.bytes, b.bytes, 16) == 0;
}

// What the connect()s of one probe gave for each destination of a list,
// remembered for a second (resolver/recheck.h). The flags and prefix
// lengths are looked up afresh each time, in the caller's interface list.
constexpr int kMemoDestinations = 16;  // longer lists are probed every time
constexpr int kMemoSlots = 8;

struct ProbedSource {
  bool found;
  Address address;
  uint8_t lookup_key[16];  // how the source is looked up in the interface list
};

struct ProbeMemoSlot {
  bool valid;
  long taken_ms;
  uint16_t port;
  int count;
  Address destinations[kMemoDestinations];
  ProbedSource sources[kMemoDestinations];
};

struct ProbeMemo {
  Mutex mutex;
  ProbeMemoSlot slots[kMemoSlots] = {};  // constant-initialized: no constructor at load
};

ProbeMemo g_probe_memo;
pthread_once_t g_probe_memo_once = PTHREAD_ONCE_INIT;

void reset_probe_memo_in_child() { g_probe_memo.mutex.reset_after_fork(); }
void register_probe_memo_atfork() { pthread_atfork(nullptr, nullptr, reset_probe_memo_in_child); }

bool slot_matches(const ProbeMemoSlot& slot, const Address* destinations, int count, uint16_t port,
                  long now) {
  if (!slot.valid || slot.count != count || slot.port != port || now < slot.taken_ms ||
      now - slot.taken_ms >= kRecheckIntervalMs)
    return false;
  for (int i = 0; i < count; ++i)
    if (!same_destination(slot.destinations[i], destinations[i])) return false;
  return true;
}

void fill_from_probe(const ProbedSource& probed, const LocalAddresses& local, SourceInfo* info) {
  *info = SourceInfo();
  if (!probed.found) return;
  info->found = true;
  if (local.listed) {
    if (const LocalAddress* found = find_local_address(local, probed.lookup_key)) {
      info->flags = found->flags;
      info->prefix_length = found->prefix_length;
    }
  }
  info->address = probed.address;
}

bool recall_probe(const Address* destinations, int count, uint16_t port,
                  const LocalAddresses& local, SourceInfo* sources) {
  long now = coarse_monotonic_ms();
  LockGuard lock(g_probe_memo.mutex);
  for (const ProbeMemoSlot& slot : g_probe_memo.slots) {
    if (!slot_matches(slot, destinations, count, port, now)) continue;
    for (int i = 0; i < count; ++i) fill_from_probe(slot.sources[i], local, &sources[i]);
    limit_answer_repeat(slot.taken_ms + kRecheckIntervalMs);
    return true;
  }
  return false;
}

void remember_probe(const Address* destinations, int count, uint16_t port,
                    const ProbedSource* probed) {
  long now = coarse_monotonic_ms();
  LockGuard lock(g_probe_memo.mutex);
  ProbeMemoSlot* target = &g_probe_memo.slots[0];
  for (ProbeMemoSlot& slot : g_probe_memo.slots) {
    if (!slot.valid) {
      target = &slot;
      break;
    }
    if (slot.taken_ms < target->taken_ms) target = &slot;
  }
  target->valid = true;
  target->taken_ms = now;
  limit_answer_repeat(now + kRecheckIntervalMs);
  target->port = port;
  target->count = count;
  memcpy(target->destinations, destinations, sizeof *destinations * static_cast<size_t>(count));
  memcpy(target->sources, probed, sizeof *probed * static_cast<size_t>(count));
}

// glibc's try_connect: connect the probe socket, read the local address,
// and fall back to an IPv4 socket when IPv6 sockets cannot reach IPv4.
bool try_connect(UniqueFd* fd, int* af, const SocketAddress& destination, socklen_t length,
                 int family, SocketAddress* source) {
  socklen_t source_length = sizeof *source;
  for (;;) {
    if (fd->valid() && connect(fd->get(), &destination.sa, length) == 0 &&
        getsockname(fd->get(), &source->sa, &source_length) == 0)
      return true;
    if (errno == EAFNOSUPPORT && *af == AF_INET6 && family == AF_INET) {
      *af = AF_INET;
      fd->reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_IP));
      continue;
    }
    return false;
  }
}

// fls() of glibc's getaddrinfo.c: the number of leading zero bits (32 for 0),
// i.e. how many leading bits two words share.
int leading_zeros(uint32_t a) { return a == 0 ? 32 : __builtin_clz(a); }

uint32_t ipv4_host_order(const uint8_t* bytes) {
  uint32_t a;
  memcpy(&a, bytes, 4);
  return ntohl(a);
}

// Rule 9's value for one IPv4 pair: shared leading bits, but only within the
// source's subnet. glibc builds the mask as 0xffffffff << (32 - prefixlen);
// for prefixlen 0 (source not in the netlink list, e.g. a host without IPv6)
// that shift by 32 is what the x86 and ARM shift instructions do: a shift by
// 0, so the mask is all ones and only dst == src scores (32).
int ipv4_prefix_score(const Address& destination, const SourceInfo& source) {
  uint32_t dst = ipv4_host_order(destination.bytes);
  uint32_t src = ipv4_host_order(source.address.bytes);
  uint32_t netmask = 0xffffffffu << ((32u - source.prefix_length) & 31u);
  if ((src & netmask) != (dst & netmask)) return 0;
  return leading_zeros(dst ^ src);
}

uint32_t word(const uint8_t* bytes, int i) {
  uint32_t w;
  memcpy(&w, bytes + 4 * i, 4);
  return ntohl(w);
}

}  // namespace

int compare_destinations(const Address& d1, const SourceInfo& s1, int index1, const Address& d2,
                         const SourceInfo& s2, int index2, const GaiPolicy& policy) {
  // Rule 1: avoid unusable destinations.
  if (s1.found != s2.found) return s1.found ? -1 : 1;
  const bool sources = s1.found;  // from here on both or neither

  // Rule 2: prefer matching scope.
  int d1_scope = gai_scope(policy, d1);
  int d2_scope = gai_scope(policy, d2);
  if (sources) {
    bool match1 = d1_scope == gai_scope(policy, s1.address);
    bool match2 = d2_scope == gai_scope(policy, s2.address);
    if (match1 && !match2) return -1;
    if (!match1 && match2) return 1;
  }

  if (sources) {
    // Rule 3: avoid deprecated addresses.
    bool deprecated1 = s1.flags & kLocalAddressDeprecated;
    bool deprecated2 = s2.flags & kLocalAddressDeprecated;
    if (!deprecated1 && deprecated2) return -1;
    if (deprecated1 && !deprecated2) return 1;

    // Rule 4: prefer home addresses.
    bool home1 = s1.flags & kLocalAddressHomeAddress;
    bool home2 = s2.flags & kLocalAddressHomeAddress;
    if (!home1 && home2) return 1;
    if (home1 && !home2) return -1;

    // Rule 5: prefer matching label.
    bool match1 = gai_label(policy, d1) == gai_label(policy, s1.address);
    bool match2 = gai_label(policy, d2) == gai_label(policy, s2.address);
    if (match1 && !match2) return -1;
    if (!match1 && match2) return 1;
  }

  // Rule 6: prefer higher precedence.
  int precedence1 = gai_precedence(policy, d1);
  int precedence2 = gai_precedence(policy, d2);
  if (precedence1 > precedence2) return -1;
  if (precedence1 < precedence2) return 1;

  // Rule 7 (native transport) decides nothing in glibc 2.36: its
  // __check_native is an empty stub, so every interface counts as native.

  // Rule 8: prefer smaller scope.
  if (d1_scope < d2_scope) return -1;
  if (d1_scope > d2_scope) return 1;

  // Rule 9: longest matching prefix, same family only.
  if (sources && d1.family == d2.family) {
    int bits1 = 0;
    int bits2 = 0;
    if (d1.family == AF_INET) {
      bits1 = ipv4_prefix_score(d1, s1);
      bits2 = ipv4_prefix_score(d2, s2);
    } else if (d1.family == AF_INET6) {
      // glibc stops at the first 32-bit word where either pair differs and
      // compares the shared bits within that word only.
      int i = 0;
      while (i < 4 && word(d1.bytes, i) == word(s1.address.bytes, i) &&
             word(d2.bytes, i) == word(s2.address.bytes, i))
        ++i;
      if (i < 4) {
        bits1 = leading_zeros(word(d1.bytes, i) ^ word(s1.address.bytes, i));
        bits2 = leading_zeros(word(d2.bytes, i) ^ word(s2.address.bytes, i));
      }
    }
    if (bits1 > bits2) return -1;
    if (bits1 < bits2) return 1;
  }

  // Rule 10: keep the original order.
  return index1 < index2 ? -1 : 1;
}

namespace {

struct SortInput {
  const Address* destinations;
  const SourceInfo* sources;
  const GaiPolicy* policy;
};

// glibc's msort_with_tmp: top-down merge sort, left half n/2, ties (<= 0)
// taken from the left. The comparison is not transitive (rule 9 is
// family-bound), so only this exact sequence of comparisons gives glibc's order.
void merge_sort(const SortInput& in, int* b, int n, int* scratch) {
  if (n <= 1) return;
  int n1 = n / 2;
  int n2 = n - n1;
  int* b1 = b;
  int* b2 = b + n1;
  merge_sort(in, b1, n1, scratch);
  merge_sort(in, b2, n2, scratch);
  int* t = scratch;
  while (n1 > 0 && n2 > 0) {
    if (compare_destinations(in.destinations[*b1], in.sources[*b1], *b1, in.destinations[*b2],
                             in.sources[*b2], *b2, *in.policy) <= 0) {
      *t++ = *b1++;
      --n1;
    } else {
      *t++ = *b2++;
      --n2;
    }
  }
  if (n1 > 0) memcpy(t, b1, static_cast<size_t>(n1) * sizeof *b1);
  memcpy(b, scratch, static_cast<size_t>(n - n2) * sizeof *b);
}

}  // namespace

bool sort_with_sources(const Address* destinations, const SourceInfo* sources, int count,
                       const GaiPolicy& policy, int* order) {
  for (int i = 0; i < count; ++i) order[i] = i;
  if (count <= 1) return true;
  constexpr int kStackEntries = 256;
  int stack_scratch[kStackEntries];
  MallocPtr<int> heap_scratch;
  int* scratch = stack_scratch;
  if (count > kStackEntries) {
    heap_scratch = MallocPtr<int>::allocate(static_cast<size_t>(count));
    if (!heap_scratch) return false;
    scratch = heap_scratch.get();
  }
  SortInput in = {destinations, sources, &policy};
  merge_sort(in, order, count, scratch);
  return true;
}

void probe_sources(const Address* destinations, int count, uint16_t port,
                   const LocalAddresses& local, SourceInfo* sources) {
  bool memo = count <= kMemoDestinations && recheck_memos_enabled();
  if (memo) {
    pthread_once(&g_probe_memo_once, register_probe_memo_atfork);
    if (recall_probe(destinations, count, port, local, sources)) return;
  } else {
    limit_answer_repeat(coarse_monotonic_ms());  // probed on every call
  }
  ProbedSource probed[kMemoDestinations];
  UniqueFd fd;
  int af = AF_UNSPEC;
  for (int i = 0; i < count; ++i) {
    const Address& destination = destinations[i];
    SourceInfo& info = sources[i];
    if (memo) probed[i] = ProbedSource();
    if (i > 0 && same_destination(destinations[i - 1], destination)) {
      info = sources[i - 1];
      if (memo) probed[i] = probed[i - 1];
      continue;
    }
    info = SourceInfo();

    if (!fd.valid() || (af == AF_INET && destination.family == AF_INET6)) {
      af = destination.family;
      fd.reset(socket(af, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_IP));
    } else {
      // Dissolve the previous association before the next connect.
      struct sockaddr unspec;
      memset(&unspec, 0, sizeof unspec);
      unspec.sa_family = AF_UNSPEC;
      connect(fd.get(), &unspec, sizeof unspec);
    }

    SocketAddress target;
    socklen_t target_length = make_sockaddr(destination, port, &target);
    SocketAddress source;
    memset(&source, 0, sizeof source);
    if (!try_connect(&fd, &af, target, target_length, destination.family, &source)) continue;
    info.found = true;

    {
      uint8_t* key = probed[memo ? i : 0].lookup_key;
      if (destination.family == AF_INET && af == AF_INET) {
        memset(key, 0, 10);
        key[10] = 0xff;
        key[11] = 0xff;
        // Any 127/8 source is looked up as 127.0.0.1, the address lo carries.
        if ((ntohl(source.in.sin_addr.s_addr) & 0xff000000u) == 0x7f000000u) {
          uint32_t loopback = htonl(0x7f000001u);
          memcpy(key + 12, &loopback, 4);
        } else {
          memcpy(key + 12, &source.in.sin_addr, 4);
        }
      } else {
        memcpy(key, &source.in6.sin6_addr, 16);
      }
      const LocalAddress* found = local.listed ? find_local_address(local, key) : nullptr;
      if (found != nullptr) {
        info.flags = found->flags;
        info.prefix_length = found->prefix_length;
      }
    }

    info.address.family = destination.family;
    if (destination.family == AF_INET) {
      // From an IPv6 socket the source of an IPv4 destination is ::ffff:a.b.c.d.
      const void* v4 = af == AF_INET6 ? static_cast<const void*>(&source.in6.sin6_addr.s6_addr[12])
                                      : static_cast<const void*>(&source.in.sin_addr);
      memcpy(info.address.bytes, v4, 4);
    } else {
      memcpy(info.address.bytes, &source.in6.sin6_addr, 16);
      info.address.scope_id = source.in6.sin6_scope_id;
    }
    if (memo) {
      probed[i].found = true;
      probed[i].address = info.address;
    }
  }
  if (memo) remember_probe(destinations, count, port, probed);
}

bool sort_destination_order(const Address* destinations, int count, const char* gai_conf_path,
                            int* order, uint16_t port, const LocalAddresses* local) {
  for (int i = 0; i < count; ++i) order[i] = i;
  if (count <= 1) return true;

  MallocPtr<SourceInfo> sources = MallocPtr<SourceInfo>::allocate(static_cast<size_t>(count));
  if (!sources) return false;
  MallocPtr<LocalAddresses> own_local;
  if (local == nullptr) {
    own_local = MallocPtr<LocalAddresses>::allocate(1);
    if (!own_local) return false;
    query_local_addresses(own_local.get());
  } else {
    own_local = MallocPtr<LocalAddresses>::allocate(1);
    if (!own_local) return false;
    memcpy(own_local.get(), local, sizeof *local);
  }
  sort_local_addresses(own_local.get());

  probe_sources(destinations, count, port, *own_local.get(), sources.get());

  CurrentGaiPolicy policy(gai_conf_path);
  return sort_with_sources(destinations, sources.get(), count, policy.get(), order);
}

bool sort_destinations(Address* addresses, int count, const char* gai_conf_path, uint16_t port,
                       const LocalAddresses* local) {
  if (count <= 1) return true;
  MallocPtr<int> order = MallocPtr<int>::allocate(static_cast<size_t>(count));
  MallocPtr<Address> copy = MallocPtr<Address>::allocate(static_cast<size_t>(count));
  if (!order || !copy) return false;
  if (!sort_destination_order(addresses, count, gai_conf_path, order.get(), port, local))
    return false;
  memcpy(copy.get(), addresses, static_cast<size_t>(count) * sizeof *addresses);
  for (int i = 0; i < count; ++i) addresses[i] = copy[order[i]];
  return true;
}

}  // namespace aresolv
