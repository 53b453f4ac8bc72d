#include "resolver/dns_transport.h"

#include <ares.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include "resolver/base.h"
#include "resolver/dns.h"
#include "resolver/stats.h"

namespace aresolv {
namespace {

// c-ares gives up on its own at the timeout we configure; this margin only
// covers a callback that never comes.
constexpr long kDeadlineMarginMs = 250;
constexpr int kMaxPollSockets = ARES_GETSOCK_MAXNUM;

long monotonic_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// send_dg's timeout for server index `ns`: retrans << ns, divided by the
// number of servers for every server but the first, at least one second.
int server_timeout_seconds(const ResolvConf& conf, int ns) {
  long seconds = static_cast<long>(conf.timeout) * (1L << ns);
  if (ns > 0) seconds /= conf.nameserver_count;
  if (seconds <= 0) seconds = 1;
  return static_cast<int>(seconds);
}

// glibc's nameserver_offset: with rotate, successive requests of the process
// start at successive servers, from a random first one.
unsigned nameserver_offset(const ResolvConf& conf) {
  if (conf.nameserver_count <= 1 || !conf.rotate) return 0;
  static std::atomic<unsigned> global_offset{0};  // constant-initialized
  unsigned offset = global_offset.fetch_add(2, std::memory_order_relaxed);
  if ((offset & 1) == 0) {
    unsigned random = 0;
    if (getrandom(&random, sizeof random, GRND_NONBLOCK) != sizeof random)
      random = static_cast<unsigned>(monotonic_ms());
    // The low bit marks "initialized"; what is stored is the value the
    // next fetch_add must return, the one after ours.
    offset = random << 1;
    global_offset.store((offset | 1) + 2, std::memory_order_relaxed);
  }
  offset >>= 1;
  return offset % static_cast<unsigned>(conf.nameserver_count);
}

bool response_is_usable(const uint8_t* p, int len) {
  if (len < kDnsHeaderSize) return false;
  int rcode = p[3] & 0x0f;
  if (rcode == kRcodeServFail || rcode == kRcodeNotImp || rcode == kRcodeRefused) return false;
  // A response with nothing in it and neither AA nor RA: a lame server.
  bool aa = p[2] & 0x04;
  bool ra = p[3] & 0x80;
  int ancount = (p[6] << 8) | p[7];
  int arcount = (p[10] << 8) | p[11];
  return !(rcode == kRcodeNoError && ancount == 0 && !aa && !ra && arcount == 0);
}

enum class Pending { kNotSent, kWaiting, kDone };

struct QuerySlot {
  uint8_t* query = nullptr;  // from ares_create_query
  int query_len = 0;
  Pending state = Pending::kNotSent;
  int status = ARES_ETIMEOUT;
  MallocPtr<uint8_t> response;
  int response_len = 0;
  long arrival = 0;            // order of arrival, 1-based
  bool oversized_udp = false;  // came over UDP although longer than 512 bytes
};

struct Exchange {
  QuerySlot slots[2];
  int slot_count = 0;
  long arrivals = 0;
  int socket_errno = 0;   // errno of a failed socket(), for EMFILE/ENFILE
  bool went_tcp = false;  // c-ares opened a TCP connection (after TC)
  // glibc's v_circuit: after a truncated answer, send_dg hands over to
  // send_vc and the rest of the request goes over TCP.
  bool v_circuit = false;
  // c-ares reads a TCP stream as a 2-byte length, then exactly that many
  // bytes; this follows along per connection to see each message's length
  // (send_vc drops the server on one shorter than a header; c-ares ignores
  // it and waits).
  struct TcpFraming {
    int fd = -1;
    int prefix_pos = 0;
    uint8_t prefix[2] = {0, 0};
    int body_left = 0;
  } tcp[kMaxNameservers + 1];
  // A send or receive on the server's socket failed (an ICMP error, say:
  // ARES_ECONNREFUSED), or a response was shorter than a header
  // (ARES_EBADRESP; glibc counts that server as reached): glibc's
  // close_and_return_error drops the whole visit, answers received before it
  // included, and moves on to the next server at once. c-ares only fails the
  // query whose write failed, ignores short packets, and keeps waiting.
  int visit_error = 0;
  // c-ares (without ARES_FLAG_EDNS) retries every UDP response longer than
  // 512 bytes over TCP, where glibc takes it as it came (up to 64 KiB). Such
  // a response is kept here whole while c-ares gets a stub of it (header and
  // question, no records) to match to its query; on_answer swaps it back.
  MallocPtr<uint8_t> oversized;
  int oversized_len = 0;
  int stub_len = 0;
};

struct CallbackArg {
  Exchange* exchange;
  int index;
};

void on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
  auto* cb = static_cast<CallbackArg*>(arg);
  QuerySlot& slot = cb->exchange->slots[cb->index];
  if (slot.state != Pending::kWaiting) return;
  slot.state = Pending::kDone;
  slot.status = status;
  Exchange* exchange = cb->exchange;
  if (status == ARES_SUCCESS && abuf != nullptr && exchange->oversized &&
      alen == exchange->stub_len && memcmp(abuf, exchange->oversized.get(), 4) == 0 &&
      memcmp(abuf + kDnsHeaderSize, exchange->oversized.get() + kDnsHeaderSize,
             static_cast<size_t>(alen - kDnsHeaderSize)) == 0) {
    slot.response = std::move(exchange->oversized);
    slot.response_len = exchange->oversized_len;
    slot.oversized_udp = true;
    slot.arrival = ++exchange->arrivals;
    exchange->oversized_len = 0;
    return;
  }
  if (status == ARES_SUCCESS && abuf != nullptr && alen > 0) {
    slot.response = MallocPtr<uint8_t>::allocate(static_cast<size_t>(alen));
    if (!slot.response) {
      slot.status = ARES_ENOMEM;
      return;
    }
    memcpy(slot.response.get(), abuf, static_cast<size_t>(alen));
    slot.response_len = alen;
    slot.arrival = ++cb->exchange->arrivals;
  } else if (status == ARES_SUCCESS) {
    slot.status = ARES_EBADRESP;
  }
}

Exchange::TcpFraming* tcp_framing(Exchange* exchange, int fd) {
  for (auto& f : exchange->tcp)
    if (f.fd == fd) return &f;
  return nullptr;
}

// c-ares leaves user-managed sockets exactly as opened: they must be
// non-blocking, or a second read on a UDP socket blocks past every deadline.
ares_socket_t open_socket(int domain, int type, int protocol, void* user) {
  int fd = ::socket(domain, type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (type == SOCK_STREAM) {
    auto* exchange = static_cast<Exchange*>(user);
    exchange->went_tcp = true;
    Exchange::TcpFraming* f = tcp_framing(exchange, -1);
    if (fd >= 0 && f != nullptr) f->fd = fd;
  }
  if (fd < 0 && (errno == EMFILE || errno == ENFILE))
    static_cast<Exchange*>(user)->socket_errno = errno;
  return fd;
}
int close_socket(ares_socket_t fd, void* user) {
  Exchange::TcpFraming* f = tcp_framing(static_cast<Exchange*>(user), fd);
  if (f != nullptr) *f = Exchange::TcpFraming();
  return ::close(fd);
}
void follow_tcp_framing(Exchange* exchange, int fd, const void* data, ares_ssize_t n) {
  Exchange::TcpFraming* f = tcp_framing(exchange, fd);
  if (f == nullptr || n <= 0) return;
  if (f->prefix_pos < 2) {  // c-ares asked for the rest of the length word only
    const auto* p = static_cast<const uint8_t*>(data);
    for (ares_ssize_t i = 0; i < n && f->prefix_pos < 2; ++i) f->prefix[f->prefix_pos++] = p[i];
    if (f->prefix_pos < 2) return;
    f->body_left = (f->prefix[0] << 8) | f->prefix[1];
    if (f->body_left < kDnsHeaderSize) exchange->visit_error = ARES_EBADRESP;
    if (f->body_left == 0) f->prefix_pos = 0;
    return;
  }
  f->body_left -= static_cast<int>(n);
  if (f->body_left <= 0) f->prefix_pos = 0;
}
int connect_socket(ares_socket_t fd, const struct sockaddr* addr, ares_socklen_t len, void*) {
  return ::connect(fd, addr, len);
}
void note_socket_failure(ares_ssize_t result, void* user) {
  if (result < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    static_cast<Exchange*>(user)->visit_error = ARES_ECONNREFUSED;
}

// Length of the header and question section of a response, or 0 when the
// question cannot be walked within `len` bytes.
size_t header_and_question_length(const uint8_t* p, size_t len) {
  if (len < kDnsHeaderSize) return 0;
  size_t at = kDnsHeaderSize;
  for (int q = (p[4] << 8) | p[5]; q > 0; --q) {
    for (;;) {
      if (at >= len) return 0;
      uint8_t label = p[at];
      if ((label & 0xc0) == 0xc0) {
        at += 2;
        break;
      }
      if ((label & 0xc0) != 0) return 0;
      at += 1 + label;
      if (label == 0) break;
    }
    at += 4;  // type, class
  }
  return at <= len ? at : 0;
}

// The largest UDP response c-ares takes as it is (PACKETSZ).
constexpr ares_ssize_t kCaresUdpLimit = 512;

ares_ssize_t receive_from(ares_socket_t fd, void* buf, size_t len, int flags, struct sockaddr* from,
                          ares_socklen_t* from_len, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  if (from == nullptr) {  // TCP: c-ares reads the stream in pieces itself
    ares_ssize_t n = ::recvfrom(fd, buf, len, flags, from, from_len);
    note_socket_failure(n, user);
    follow_tcp_framing(exchange, fd, buf, n);
    return n;
  }
  exchange->oversized.reset();
  exchange->oversized_len = 0;
  // The real length of the datagram; a pending socket error is reported
  // (and consumed) here.
  ares_ssize_t size = ::recv(fd, nullptr, 0, flags | MSG_PEEK | MSG_TRUNC);
  if (size < 0) {
    note_socket_failure(size, user);
    return size;
  }
  MallocPtr<uint8_t> whole;
  if (size > kCaresUdpLimit) whole = MallocPtr<uint8_t>::allocate(static_cast<size_t>(size));
  if (!whole) {  // small, an error, or no memory (then c-ares asks again over TCP)
    ares_ssize_t n = ::recvfrom(fd, buf, len, flags, from, from_len);
    note_socket_failure(n, user);
    if (n > 0 && n < kDnsHeaderSize) exchange->visit_error = ARES_EBADRESP;
    return n;
  }
  ares_ssize_t n = ::recvfrom(fd, whole.get(), static_cast<size_t>(size), flags, from, from_len);
  note_socket_failure(n, user);
  if (n <= kCaresUdpLimit) {
    if (n > 0) memcpy(buf, whole.get(), static_cast<size_t>(n) < len ? n : len);
    return n;
  }
  size_t stub = header_and_question_length(whole.get(), static_cast<size_t>(n));
  if (stub == 0 || stub > len || stub > static_cast<size_t>(kCaresUdpLimit)) stub = kDnsHeaderSize;
  auto* out = static_cast<uint8_t*>(buf);
  memcpy(out, whole.get(), stub);
  memset(out + 6, 0, 6);                            // no records
  if (stub == kDnsHeaderSize) out[4] = out[5] = 0;  // matches no query
  exchange->oversized = std::move(whole);
  exchange->oversized_len = static_cast<int>(n);
  exchange->stub_len = static_cast<int>(stub);
  return static_cast<ares_ssize_t>(stub);
}
// sendmsg with MSG_NOSIGNAL, not writev: a TCP server that closes early must
// not raise SIGPIPE in the host process, whose handler is not ours to change.
ares_ssize_t send_vector(ares_socket_t fd, const struct iovec* iov, int count, void* user) {
  struct msghdr message;
  memset(&message, 0, sizeof message);
  message.msg_iov = const_cast<struct iovec*>(iov);
  message.msg_iovlen = static_cast<size_t>(count);
  ares_ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
  note_socket_failure(n, user);
  return n;
}

const struct ares_socket_functions kSocketFunctions = {open_socket, close_socket, connect_socket,
                                                       receive_from, send_vector};

// A channel that knows one server and nothing else: every option c-ares
// would otherwise take from resolv.conf, the environment or its defaults is
// given, so that init_by_resolv_conf and init_by_environment change nothing.
class Channel {
 public:
  ~Channel() { reset(); }
  void reset() {
    if (channel_ != nullptr) ares_destroy(channel_);
    channel_ = nullptr;
  }
  int init(const ResolvConf& conf, int ns, int timeout_ms, Exchange* exchange) {
    struct ares_options options;
    memset(&options, 0, sizeof options);
    int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_NDOTS |
               ARES_OPT_UDP_PORT | ARES_OPT_TCP_PORT | ARES_OPT_SERVERS | ARES_OPT_DOMAINS |
               ARES_OPT_LOOKUPS | ARES_OPT_SORTLIST | ARES_OPT_NOROTATE | ARES_OPT_EDNSPSZ;
    // No ARES_FLAG_EDNS: the OPT record is in our query already, and c-ares'
    // retry without EDNS after FORMERR is something glibc does not do.
    // STAYOPEN: the socket lives as long as the channel, not the query.
    options.flags =
        ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_STAYOPEN;
    if (conf.use_vc || exchange->v_circuit) options.flags |= ARES_FLAG_USEVC;
    options.timeout = timeout_ms;
    options.tries = 1;
    options.ndots = 1;
    const NameserverAddress& server = conf.nameservers[ns];
    options.udp_port = server.port;
    options.tcp_port = server.port;
    options.servers = nullptr;
    options.nservers = 0;
    options.domains = nullptr;
    options.ndomains = 0;
    options.lookups = const_cast<char*>("b");
    options.sortlist = nullptr;
    options.nsort = 0;
    options.ednspsz = 1232;
    int status = ares_init_options(&channel_, &options, mask);
    if (status != ARES_SUCCESS) {
      channel_ = nullptr;
      return status;
    }
    ares_set_socket_functions(channel_, &kSocketFunctions, exchange);
    struct ares_addr_port_node node;
    memset(&node, 0, sizeof node);
    node.next = nullptr;
    node.family = server.family;
    if (server.family == AF_INET6)
      memcpy(&node.addr.addr6, server.bytes, 16);
    else
      memcpy(&node.addr.addr4, server.bytes, 4);
    node.udp_port = server.port;
    node.tcp_port = server.port;
    return ares_set_servers_ports(channel_, &node);
  }
  ares_channel get() const { return channel_; }

 private:
  ares_channel channel_ = nullptr;
};

// Runs the c-ares channel until every sent query is done or `deadline_ms`.
void drive(ares_channel channel, Exchange* exchange, long deadline_ms) {
  for (;;) {
    if (exchange->visit_error != 0) return;
    bool waiting = false;
    for (int i = 0; i < exchange->slot_count; ++i)
      if (exchange->slots[i].state == Pending::kWaiting) waiting = true;
    if (!waiting) return;
    long remaining = deadline_ms - monotonic_ms();
    if (remaining <= 0) return;
    struct timeval max_tv = {remaining / 1000, static_cast<suseconds_t>((remaining % 1000) * 1000)};
    struct timeval tv;
    struct timeval* wait = ares_timeout(channel, &max_tv, &tv);
    int wait_ms = static_cast<int>(wait->tv_sec * 1000 + (wait->tv_usec + 999) / 1000);

    ares_socket_t sockets[kMaxPollSockets];
    int bits = ares_getsock(channel, sockets, kMaxPollSockets);
    struct pollfd fds[kMaxPollSockets];
    int nfds = 0;
    for (int i = 0; i < kMaxPollSockets; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events == 0) continue;
      fds[nfds].fd = sockets[i];
      fds[nfds].events = events;
      fds[nfds].revents = 0;
      ++nfds;
    }
    int ready = ::poll(fds, static_cast<nfds_t>(nfds), wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;  // retried with the time that is left
      return;
    }
    if (ready == 0) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      continue;
    }
    for (int i = 0; i < nfds; ++i) {
      if (fds[i].revents == 0) continue;
      ares_socket_t readable =
          (fds[i].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_socket_t writable = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_process_fd(channel, readable, writable);
    }
  }
}

void send_slot(ares_channel channel, Exchange* exchange, CallbackArg* args, int index) {
  QuerySlot& slot = exchange->slots[index];
  slot.state = Pending::kWaiting;
  ares_send(channel, slot.query, slot.query_len, on_answer, &args[index]);
}

// For `aresolv stats`: a visit answered when any response arrived.
void record_visit(const NameserverAddress& server, const Exchange& exchange, uint64_t elapsed_us) {
  VisitOutcome outcome = VisitOutcome::kError;
  for (int i = 0; i < exchange.slot_count; ++i)
    if (exchange.slots[i].status == ARES_ETIMEOUT) outcome = VisitOutcome::kTimedOut;
  for (int i = 0; i < exchange.slot_count; ++i)
    if (exchange.slots[i].status == ARES_SUCCESS) outcome = VisitOutcome::kAnswered;
  record_server_visit(server.family, server.bytes, server.port, elapsed_us, outcome);
}

// One visit of one server, as one call of send_dg: both questions at once,
// or (single-request) the second only after a usable answer to the first.
// `channel` is the server's channel for the whole request (set up here when
// it is not yet). Returns false when the channel could not be set up.
bool visit_server(const ResolvConf& conf, int ns, int timeout_s, bool sequential,
                  long hard_deadline_ms, Exchange* exchange, Channel& channel, CallbackArg* args) {
  for (int i = 0; i < exchange->slot_count; ++i) {
    QuerySlot& slot = exchange->slots[i];
    slot.state = Pending::kNotSent;
    slot.status = ARES_ETIMEOUT;
    slot.response.reset();
    slot.response_len = 0;
    slot.arrival = 0;
    slot.oversized_udp = false;
  }
  exchange->arrivals = 0;
  exchange->visit_error = 0;
  long deadline = monotonic_ms() + timeout_s * 1000L + kDeadlineMarginMs;
  if (deadline > hard_deadline_ms) deadline = hard_deadline_ms;

  uint64_t visit_start_us = stats_now_us();
  if (channel.get() == nullptr &&
      channel.init(conf, ns, timeout_s * 1000, exchange) != ARES_SUCCESS) {
    channel.reset();
    return false;
  }
  send_slot(channel.get(), exchange, args, 0);
  if (exchange->slot_count == 2 && !sequential) send_slot(channel.get(), exchange, args, 1);
  drive(channel.get(), exchange, deadline);
  if (exchange->slot_count == 2 && sequential && exchange->visit_error == 0 &&
      exchange->slots[0].state == Pending::kDone &&
      response_is_usable(exchange->slots[0].response.get(), exchange->slots[0].response_len)) {
    send_slot(channel.get(), exchange, args, 1);
    drive(channel.get(), exchange, deadline);
  }
  // Queries still waiting are reported as timed out; the callbacks that
  // ares_destroy makes find them already settled.
  bool unfinished = false;
  for (int i = 0; i < exchange->slot_count; ++i) {
    QuerySlot& slot = exchange->slots[i];
    unfinished |= slot.state == Pending::kWaiting;
    if (exchange->visit_error != 0) {
      slot.state = Pending::kDone;
      slot.status = exchange->visit_error;
      slot.response.reset();
      slot.response_len = 0;
    } else if (slot.state == Pending::kWaiting) {
      slot.state = Pending::kDone;
      slot.status = ARES_ETIMEOUT;
    }
  }
  // After a socket error glibc closes the socket; a query c-ares still holds
  // would end (and call back) in the next visit.
  if (exchange->visit_error != 0 || unfinished) channel.reset();
  record_visit(conf.nameservers[ns], *exchange, stats_now_us() - visit_start_us);
  return true;
}

// Copies a response into a caller buffer; a response longer than the buffer
// is cut and marked truncated, and its full length is returned.
int deliver(const uint8_t* response, int len, uint8_t* buffer, int size, bool trust_ad,
            int udp_limit = 0) {
  int n = len < size ? len : size;
  if (udp_limit > 0 && len <= udp_limit) {
    if (n > 0) memcpy(buffer, response, static_cast<size_t>(n));
    if (n >= 4 && !trust_ad) buffer[3] &= static_cast<uint8_t>(~0x20);
    return n;
  }
  if (n > 0) memcpy(buffer, response, static_cast<size_t>(n));
  if (n >= 4) {
    if (!trust_ad) buffer[3] &= static_cast<uint8_t>(~0x20);  // mask_ad_bit
    if (len > size) buffer[2] |= 0x02;
  }
  return len;
}

// Unpredictable and distinct query IDs, as glibc's res_mkquery makes them
// (c-ares 1.18.1's ares_send keeps the ID it is given): a fixed ID would
// leave only the source port for an off-path spoofer to guess.
void random_query_ids(unsigned short ids[2]) {
  if (getrandom(ids, 2 * sizeof ids[0], GRND_NONBLOCK) != 2 * sizeof ids[0]) {
    static std::atomic<unsigned> counter{0};  // constant-initialized
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned mix = static_cast<unsigned>(ts.tv_nsec) * 2654435761u ^
                   static_cast<unsigned>(reinterpret_cast<uintptr_t>(&ts) >> 4) ^
                   counter.fetch_add(0x9e37u, std::memory_order_relaxed);
    ids[0] = static_cast<unsigned short>(mix);
    ids[1] = static_cast<unsigned short>(mix >> 16);
  }
  if (ids[1] == ids[0]) ids[1] ^= 1;
}

// An oversized response that came over UDP is cut like any UDP response.
int slot_udp_limit(const QuerySlot& slot, int udp_limit) {
  return udp_limit > 0 && slot.oversized_udp ? slot.response_len : udp_limit;
}

struct QueryBuffers {
  unsigned char* q[2] = {nullptr, nullptr};
  ~QueryBuffers() {
    for (auto* p : q)
      if (p != nullptr) ares_free_string(p);
  }
};

int send_exchange(const ResolvConf& conf, bool dual, Exchange* exchange, DnsAnswers* answers,
                  int* error);

}  // namespace

namespace {

// send_dg's switch to single-request, then single-request-reopen, after a
// partial answer goes into the options of the thread's _res, so it lasts for
// the thread's later requests until resolv.conf is read again (a different
// configuration, here).
struct StickyRequestModes {
  uint64_t conf_fingerprint;
  bool single_request;
  bool single_request_reopen;
};
thread_local StickyRequestModes t_sticky_modes = {0, false, false};

uint64_t conf_fingerprint(const ResolvConf& conf) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](const void* data, size_t length) {
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < length; ++i) hash = (hash ^ p[i]) * 0x100000001b3ULL;
  };
  for (int ns = 0; ns < conf.nameserver_count; ++ns) {
    const NameserverAddress& server = conf.nameservers[ns];
    mix(&server.family, sizeof server.family);
    mix(server.bytes, sizeof server.bytes);
    mix(&server.port, sizeof server.port);
  }
  int numbers[4] = {conf.nameserver_count, conf.ndots, conf.timeout, conf.attempts};
  mix(numbers, sizeof numbers);
  bool flags[6] = {conf.rotate,       conf.edns0, conf.single_request, conf.single_request_reopen,
                   conf.no_tld_query, conf.use_vc};
  mix(flags, sizeof flags);
  return hash;
}

}  // namespace

long dns_time_budget_ms(const ResolvConf& conf) {
  long per_round = 0;
  for (int ns = 0; ns < conf.nameserver_count; ++ns) per_round += server_timeout_seconds(conf, ns);
  int rounds = conf.attempts <= 0 ? 0 : conf.use_vc ? 1 : conf.attempts;
  return per_round * 1000L * rounds;
}

int dns_send(void*, const ResolvConf& conf, const DnsSendRequest& request, DnsAnswers* answers,
             int* error) {
  answers->len1 = 0;
  answers->len2 = 0;
  answers->unusable_len = 0;
  answers->oversized_udp1 = answers->oversized_udp2 = false;
  if (conf.nameserver_count <= 0) {
    *error = ECONNREFUSED;
    return -1;
  }
  bool dual = request.type2 != 0 && answers->answer2 != nullptr;
  int payload = conf.edns0 ? request.edns_payload : 0;
  QueryBuffers buffers;
  Exchange exchange;
  exchange.slot_count = dual ? 2 : 1;
  int types[2] = {request.type, request.type2};
  unsigned short ids[2];
  random_query_ids(ids);
  for (int i = 0; i < exchange.slot_count; ++i) {
    int len = 0;
    int status = ares_create_query(request.name, request.cls, types[i], ids[i],
                                   conf.no_recurse ? 0 : 1, &buffers.q[i], &len, payload);
    if (status != ARES_SUCCESS) {
      *error = status == ARES_ENOMEM ? ENOMEM : EMSGSIZE;
      return -1;
    }
    if (conf.trust_ad) buffers.q[i][3] |= 0x20;
    exchange.slots[i].query = buffers.q[i];
    exchange.slots[i].query_len = len;
  }
  return send_exchange(conf, dual, &exchange, answers, error);
}

namespace {

int send_exchange(const ResolvConf& conf, bool dual, Exchange* exchange_in, DnsAnswers* answers,
                  int* error) {
  Exchange& exchange = *exchange_in;
  int udp_limit = conf.use_vc ? 0 : answers->udp_limit;
  long hard_deadline = monotonic_ms() + dns_time_budget_ms(conf) + 1000;
  bool got_somewhere = false;
  // attempts:0 sends nothing at all; use-vc makes one pass over the servers.
  int rounds = conf.attempts <= 0 ? 0 : conf.use_vc ? 1 : conf.attempts;
  unsigned offset = nameserver_offset(conf);
  StickyRequestModes& sticky = t_sticky_modes;
  uint64_t fingerprint = conf_fingerprint(conf);
  if (sticky.conf_fingerprint != fingerprint) sticky = {fingerprint, false, false};
  CallbackArg args[2] = {{&exchange, 0}, {&exchange, 1}};
  // One channel, so one socket, per server for the whole request, as glibc
  // keeps its sockets until the request ends: an answer that comes after its
  // attempt timed out is still taken in the next attempt. Declared after
  // `args`, which their last callbacks use.
  Channel channels[kMaxNameservers];
  for (int attempt = 0; attempt < rounds; ++attempt) {
    for (int shift = 0; shift < conf.nameserver_count; ++shift) {
      int ns = static_cast<int>((static_cast<unsigned>(shift) + offset) % conf.nameserver_count);
      int timeout_s = server_timeout_seconds(conf, ns);
      // send_dg's fallbacks when only one of two answers came: again in
      // single-request mode, then with a new socket, then give up on the
      // second answer.
      bool reopen = conf.single_request_reopen || sticky.single_request_reopen;
      bool sequential = conf.single_request || sticky.single_request || reopen;
      int visits_left = !dual ? 1 : reopen ? 1 : sequential ? 2 : 3;
      for (;;) {
        bool saved_got_somewhere = got_somewhere;
        if (!visit_server(conf, ns, timeout_s, sequential, hard_deadline, &exchange, channels[ns],
                          args)) {
          *error = ENOMEM;
          return -1;
        }
        if (exchange.went_tcp && !exchange.v_circuit) {
          // The other servers are asked over TCP from now on, once each
          // (send_vc, try = retry).
          exchange.v_circuit = true;
          for (int other = 0; other < kMaxNameservers; ++other)
            if (other != ns) channels[other].reset();
          rounds = attempt + 1;
        }
        QuerySlot* first = &exchange.slots[0];
        QuerySlot* second = dual ? &exchange.slots[1] : nullptr;
        // glibc stores responses in order of arrival; we keep the A answer
        // first so that addresses come out in a stable order.
        bool usable1 = first->status == ARES_SUCCESS &&
                       response_is_usable(first->response.get(), first->response_len);
        bool usable2 = second != nullptr && second->status == ARES_SUCCESS &&
                       response_is_usable(second->response.get(), second->response_len);
        // Out of descriptors: send_dg gives up on the whole request.
        if (exchange.socket_errno != 0) {
          *error = exchange.socket_errno;
          return -1;
        }
        for (int i = 0; i < exchange.slot_count; ++i) {
          const QuerySlot& s = exchange.slots[i];
          if (s.status == ARES_SUCCESS || s.status == ARES_ETIMEOUT || s.status == ARES_EBADRESP)
            got_somewhere = true;
        }
        // The first unusable response of the visit is what glibc leaves in
        // the answer buffer.
        const QuerySlot* earliest_unusable = nullptr;
        for (int i = 0; i < exchange.slot_count; ++i) {
          const QuerySlot& s = exchange.slots[i];
          if (s.status == ARES_SUCCESS && !response_is_usable(s.response.get(), s.response_len) &&
              (earliest_unusable == nullptr || s.arrival < earliest_unusable->arrival))
            earliest_unusable = &s;
        }
        if (!usable1 && !usable2) {
          if (earliest_unusable != nullptr)
            answers->unusable_len =
                deliver(earliest_unusable->response.get(), earliest_unusable->response_len,
                        answers->answer1, answers->size1, conf.trust_ad);
          break;  // next server
        }
        bool partial = dual && (usable1 != usable2);
        const QuerySlot* missing = partial ? (usable1 ? second : first) : nullptr;
        if (missing != nullptr && missing->status == ARES_ETIMEOUT && --visits_left > 0) {
          if (sequential) {
            channels[ns].reset();  // single-request-reopen: a new socket
            sticky.single_request_reopen = true;
          }
          sticky.single_request = true;
          sequential = true;
          got_somewhere = saved_got_somewhere;  // as send_dg does for the retry
          continue;
        }
        if (usable1)
          answers->len1 = deliver(first->response.get(), first->response_len, answers->answer1,
                                  answers->size1, conf.trust_ad, slot_udp_limit(*first, udp_limit));
        if (usable2)
          answers->len2 =
              deliver(second->response.get(), second->response_len, answers->answer2,
                      answers->size2, conf.trust_ad, slot_udp_limit(*second, udp_limit));
        answers->oversized_udp1 = usable1 && first->oversized_udp;
        answers->oversized_udp2 = usable2 && second->oversized_udp;
        *error = 0;
        return answers->len1;
      }
    }
  }
  *error = got_somewhere ? ETIMEDOUT : ECONNREFUSED;
  return -1;
}

}  // namespace

int dns_send_query(const ResolvConf& conf, const uint8_t* query, int query_len, uint8_t* answer,
                   int answer_size, int* error) {
  if (conf.nameserver_count <= 0) {
    *error = ECONNREFUSED;
    return -1;
  }
  // c-ares 1.18.1's ares_send keeps the caller's ID; later versions put
  // their own in the copy, and the caller matches against the ID it chose.
  Exchange exchange;
  exchange.slot_count = 1;
  exchange.slots[0].query = const_cast<uint8_t*>(query);
  exchange.slots[0].query_len = query_len;
  DnsAnswers answers;
  answers.answer1 = answer;
  answers.size1 = answer_size;
  answers.udp_limit = 512;
  int ret = send_exchange(conf, false, &exchange, &answers, error);
  if (ret > 0 && answer_size >= 2 && query_len >= 2) {
    answer[0] = query[0];
    answer[1] = query[1];
  }
  return ret;
}

}  // namespace aresolv
