// The in-process DNS cache (resolver/dns_cache.h) over a fake transport:
// lifetimes with an injected clock, negative caching from the SOA, what is
// never cached, replay into small buffers, LRU order and the byte limit,
// single flight with threads, and fork.
#include <errno.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "resolver/dns.h"
#include "resolver/dns_cache.h"
#include "tests/unit/dns_packet_builder.h"

namespace aresolv {
namespace {

using dns_test::Packet;

std::atomic<long> g_now_ms{0};
long fake_clock() { return g_now_ms.load(); }

// Appends an SOA record to the authority section.
void add_soa(Packet& p, uint32_t ttl, uint32_t minimum) {
  std::vector<uint8_t>& b = p.bytes;
  dns_test::put_name(b, "test");
  dns_test::put16(b, 6);
  dns_test::put16(b, 1);
  dns_test::put32(b, ttl);
  std::vector<uint8_t> rd;
  dns_test::put_name(rd, "ns.test");
  dns_test::put_name(rd, "hostmaster.test");
  for (uint32_t v : {1u, 3600u, 600u, 86400u, minimum}) dns_test::put32(rd, v);
  dns_test::put16(b, static_cast<int>(rd.size()));
  b.insert(b.end(), rd.begin(), rd.end());
  int ns = (b[8] << 8 | b[9]) + 1;
  b[8] = static_cast<uint8_t>(ns >> 8);
  b[9] = static_cast<uint8_t>(ns);
}

uint32_t first_answer_ttl(const uint8_t* p) {
  // Question "x.test"-style name: skip it, then the answer's owner.
  int off = 12;
  while (p[off] != 0) off += 1 + p[off];
  off += 5;
  if ((p[off] & 0xc0) == 0xc0)
    off += 2;
  else {
    while (p[off] != 0) off += 1 + p[off];
    off += 1;
  }
  off += 4;
  return (uint32_t{p[off]} << 24) | (uint32_t{p[off + 1]} << 16) | (uint32_t{p[off + 2]} << 8) |
         p[off + 3];
}

// A transport whose behaviour each test scripts; counts the requests.
struct FakeServer {
  std::function<int(const DnsSendRequest&, DnsAnswers*, int*)> answer;
  std::atomic<int> calls{0};

  static int send(void* context, const ResolvConf&, const DnsSendRequest& request,
                  DnsAnswers* answers, int* error) {
    auto* self = static_cast<FakeServer*>(context);
    ++self->calls;
    answers->len1 = answers->len2 = answers->unusable_len = 0;
    return self->answer(request, answers, error);
  }
  DnsTransport transport() { return DnsTransport{&FakeServer::send, this}; }
};

int put(const std::vector<uint8_t>& packet, uint8_t* buffer, int size) {
  int n = static_cast<int>(packet.size());
  memcpy(buffer, packet.data(), static_cast<size_t>(n < size ? n : size));
  return n;
}

// Answers each question with a fixed packet (the second one for AAAA).
std::function<int(const DnsSendRequest&, DnsAnswers*, int*)> always(
    std::vector<uint8_t> first, std::vector<uint8_t> second = {}) {
  return [first, second](const DnsSendRequest&, DnsAnswers* a, int* error) {
    a->len1 = put(first, a->answer1, a->size1);
    if (a->answer2 != nullptr && !second.empty()) a->len2 = put(second, a->answer2, a->size2);
    *error = 0;
    return a->len1;
  };
}

ResolvConf test_conf() {
  ResolvConf conf;
  conf.nameserver_count = 1;
  conf.nameservers[0].family = AF_INET;
  conf.nameservers[0].bytes[0] = 127;
  conf.nameservers[0].bytes[3] = 1;
  return conf;
}

DnsSendRequest question(const char* name, int type = kDnsTypeA) {
  return DnsSendRequest{name, kDnsClassIn, type, 0, 1200};
}

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_now_ms = 1000000;
    DnsCacheLimits limits;
    limits.max_ttl = 3600;
    limits.max_negative_ttl = 900;
    configure(limits);
  }
  void TearDown() override { cache.flush(); }
  void configure(const DnsCacheLimits& limits) { cache.configure(limits, &fake_clock); }

  // One request into a full-size buffer; returns the transport's value.
  int ask(const DnsSendRequest& request, const ResolvConf& conf = test_conf(), int* error = nullptr,
          int size = 4096) {
    buffer.assign(static_cast<size_t>(size), 0);
    DnsAnswers answers;
    answers.answer1 = buffer.data();
    answers.size1 = size;
    int e = 0;
    int n = cache.send(server.transport(), conf, request, &answers, &e);
    if (error) *error = e;
    last = answers;
    return n;
  }

  DnsCache cache;
  FakeServer server;
  std::vector<uint8_t> buffer;
  DnsAnswers last;
};

TEST_F(CacheTest, PositiveAnswerLivesForItsSmallestTtlAndAges) {
  server.answer =
      always(Packet("x.test", 1).a("x.test", "192.0.2.1", 90).a("x.test", "192.0.2.2", 30).bytes);
  int n = ask(question("x.test"));
  EXPECT_GT(n, 0);
  EXPECT_EQ(first_answer_ttl(buffer.data()), 90u);
  g_now_ms += 10500;
  EXPECT_EQ(ask(question("x.test")), n);
  EXPECT_EQ(server.calls, 1);
  EXPECT_EQ(first_answer_ttl(buffer.data()), 80u);  // aged by whole seconds
  g_now_ms += 19400;                                // 29.9 s after the answer
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 100;  // 30 s: expired
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 2);
  EXPECT_EQ(first_answer_ttl(buffer.data()), 90u);
}

TEST_F(CacheTest, PositiveLifetimeIsCapped) {
  DnsCacheLimits limits;
  limits.max_ttl = 60;
  configure(limits);
  server.answer = always(Packet("x.test", 1).a("x.test", "192.0.2.1", 86400).bytes);
  ask(question("x.test"));
  g_now_ms += 59999;
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 1;
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, ZeroTtlIsNotCached) {
  server.answer = always(Packet("x.test", 1).a("x.test", "192.0.2.1", 0).bytes);
  ask(question("x.test"));
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, NxdomainLivesForTheSoaMinimum) {
  Packet nx("nx.test", 1, kRcodeNxDomain);
  add_soa(nx, 300, 60);  // min(SOA TTL, minimum) = 60
  server.answer = always(nx.bytes);
  EXPECT_GT(ask(question("nx.test")), 0);
  EXPECT_EQ(buffer[3] & 0x0f, kRcodeNxDomain);
  g_now_ms += 59000;
  EXPECT_GT(ask(question("nx.test")), 0);
  EXPECT_EQ(buffer[3] & 0x0f, kRcodeNxDomain);
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 1000;
  ask(question("nx.test"));
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, NodataLivesForTheSoaTtlWhenSmaller) {
  Packet nodata("a4.test", 28);
  add_soa(nodata, 20, 600);
  server.answer = always(nodata.bytes);
  ask(question("a4.test", kDnsTypeAAAA));
  g_now_ms += 19000;
  ask(question("a4.test", kDnsTypeAAAA));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 1000;
  ask(question("a4.test", kDnsTypeAAAA));
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, NegativeLifetimeIsCapped) {
  DnsCacheLimits limits;
  limits.max_negative_ttl = 5;
  configure(limits);
  Packet nx("nx.test", 1, kRcodeNxDomain);
  add_soa(nx, 3600, 3600);
  server.answer = always(nx.bytes);
  ask(question("nx.test"));
  g_now_ms += 4999;
  ask(question("nx.test"));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 1;
  ask(question("nx.test"));
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, NegativeAnswerWithoutSoaLivesFiveSeconds) {
  server.answer = always(Packet("nx.test", 1, kRcodeNxDomain).bytes);
  ask(question("nx.test"));
  g_now_ms += 4999;
  ask(question("nx.test"));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 1;
  ask(question("nx.test"));
  EXPECT_EQ(server.calls, 2);
  // A positive answer paired with such a NODATA lives as long as the NODATA.
  std::vector<uint8_t> a = Packet("p.test", 1).a("p.test", "192.0.2.1", 300).bytes;
  std::vector<uint8_t> nodata = Packet("p.test", 28).bytes;
  server.answer = always(a, nodata);
  std::vector<uint8_t> second(4096);
  auto ask_pair = [&] {
    buffer.assign(4096, 0);
    DnsAnswers answers;
    answers.answer1 = buffer.data();
    answers.size1 = 4096;
    answers.answer2 = second.data();
    answers.size2 = 4096;
    int error = 0;
    DnsSendRequest r{"p.test", kDnsClassIn, kDnsTypeA, kDnsTypeAAAA, 1200};
    return cache.send(server.transport(), test_conf(), r, &answers, &error);
  };
  ask_pair();
  g_now_ms += 4000;
  ask_pair();
  EXPECT_EQ(server.calls, 3);
  g_now_ms += 1000;
  ask_pair();
  EXPECT_EQ(server.calls, 4);
  // No negative caching at all when the cap is 0.
  DnsCacheLimits limits;
  limits.max_negative_ttl = 0;
  configure(limits);
  server.answer = always(Packet("nx2.test", 1, kRcodeNxDomain).bytes);
  ask(question("nx2.test"));
  ask(question("nx2.test"));
  EXPECT_EQ(server.calls, 6);
}

TEST_F(CacheTest, ServfailAndTimeoutsAreNotCached) {
  std::vector<uint8_t> servfail = Packet("sf.test", 1, kRcodeServFail).bytes;
  server.answer = [&](const DnsSendRequest&, DnsAnswers* a, int* error) {
    a->unusable_len = put(servfail, a->answer1, a->size1);
    *error = ETIMEDOUT;
    return -1;
  };
  int error = 0;
  EXPECT_EQ(ask(question("sf.test"), test_conf(), &error), -1);
  EXPECT_EQ(error, ETIMEDOUT);
  // The unusable response is left in the buffer, as the transport leaves it.
  EXPECT_EQ(buffer[3] & 0x0f, kRcodeServFail);
  EXPECT_EQ(ask(question("sf.test"), test_conf(), &error), -1);
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, TruncatedAndOtherRcodesAreNotCached) {
  server.answer = always(Packet("tc.test", 1, 0, 0x8380).a("tc.test", "192.0.2.1", 300).bytes);
  ask(question("tc.test"));
  ask(question("tc.test"));
  EXPECT_EQ(server.calls, 2);
  server.answer = always(Packet("fe.test", 1, kRcodeFormErr).bytes);
  ask(question("fe.test"));
  ask(question("fe.test"));
  EXPECT_EQ(server.calls, 4);
}

TEST_F(CacheTest, KeyTellsApartWhatChangesTheAnswer) {
  server.answer = always(Packet("x.test", 1).a("x.test", "192.0.2.1", 300).bytes);
  ask(question("x.test"));
  ask(question("X.test"));  // the answer echoes the question's case
  EXPECT_EQ(server.calls, 2);
  ask(question("x.test", kDnsTypeAAAA));
  EXPECT_EQ(server.calls, 3);
  ResolvConf other = test_conf();
  other.nameservers[0].bytes[3] = 2;
  ask(question("x.test"), other);
  EXPECT_EQ(server.calls, 4);
  ResolvConf ad = test_conf();
  ad.trust_ad = true;
  ask(question("x.test"), ad);
  EXPECT_EQ(server.calls, 5);
  ResolvConf norecurse = test_conf();
  norecurse.no_recurse = true;
  ask(question("x.test"), norecurse);
  EXPECT_EQ(server.calls, 6);
  ResolvConf edns = test_conf();
  edns.edns0 = true;
  ask(question("x.test"), edns);
  EXPECT_EQ(server.calls, 7);
  // Options that only change how questions are sent share entries.
  ResolvConf rotate = test_conf();
  rotate.rotate = true;
  rotate.timeout = 1;
  ask(question("x.test"), rotate);
  EXPECT_EQ(server.calls, 7);
}

TEST_F(CacheTest, AttemptsZeroBypassesTheCache) {
  server.answer = always(Packet("x.test", 1).a("x.test", "192.0.2.1", 300).bytes);
  ask(question("x.test"));
  ResolvConf none = test_conf();
  none.attempts = 0;
  ask(question("x.test"), none);
  EXPECT_EQ(server.calls, 2);
}

TEST_F(CacheTest, PairIsCachedOnlyWhenBothAnswersCame) {
  std::vector<uint8_t> a = Packet("d.test", 1).a("d.test", "192.0.2.1", 300).bytes;
  std::vector<uint8_t> aaaa = Packet("d.test", 28).aaaa("d.test", "2001:db8::1", 100).bytes;
  std::vector<uint8_t> second(65536);
  auto ask_pair = [&](const char* name) {
    buffer.assign(65536, 0);
    DnsAnswers answers;
    answers.answer1 = buffer.data();
    answers.size1 = 65536;
    answers.answer2 = second.data();
    answers.size2 = 65536;
    int error = 0;
    DnsSendRequest r{name, kDnsClassIn, kDnsTypeA, kDnsTypeAAAA, 1200};
    int n = cache.send(server.transport(), test_conf(), r, &answers, &error);
    last = answers;
    return n;
  };
  server.answer = always(a, aaaa);
  ask_pair("d.test");
  EXPECT_EQ(ask_pair("d.test"), static_cast<int>(a.size()));
  EXPECT_EQ(last.len2, static_cast<int>(aaaa.size()));
  EXPECT_EQ(0, memcmp(second.data() + 2, aaaa.data() + 2, aaaa.size() - 2));
  EXPECT_EQ(server.calls, 1);
  g_now_ms += 100000;  // the pair lives as long as its shorter answer
  ask_pair("d.test");
  EXPECT_EQ(server.calls, 2);

  server.answer = always(a);  // the AAAA answer never came
  ask_pair("half.test");
  ask_pair("half.test");
  EXPECT_EQ(server.calls, 4);
}

TEST_F(CacheTest, ReplayCutsToTheCallersBufferAsTheTransportDoes) {
  Packet big("big.test", 1);
  for (int i = 0; i < 40; ++i) big.a("big.test", "203.0.113.1", 300);
  std::vector<uint8_t> full = big.bytes;
  ASSERT_GT(full.size(), 512u);
  server.answer = always(full);
  auto ask_small = [&](int udp_limit) {
    buffer.assign(512, 0);
    DnsAnswers answers;
    answers.answer1 = buffer.data();
    answers.size1 = 512;
    answers.udp_limit = udp_limit;
    int error = 0;
    return cache.send(server.transport(), test_conf(), question("big.test"), &answers, &error);
  };
  // Longer than the buffer and than the UDP limit: full length, TC set.
  EXPECT_EQ(ask_small(512), static_cast<int>(full.size()));
  EXPECT_TRUE(buffer[2] & 0x02);
  EXPECT_EQ(ask_small(512), static_cast<int>(full.size()));
  EXPECT_TRUE(buffer[2] & 0x02);
  EXPECT_EQ(0, memcmp(buffer.data() + 4, full.data() + 4, 508));
  // Within the UDP limit: cut as recvfrom cuts, no TC.
  EXPECT_EQ(ask_small(4096), 512);
  EXPECT_FALSE(buffer[2] & 0x02);
  EXPECT_EQ(server.calls, 1);
}

TEST_F(CacheTest, OversizedUdpAnswerIsCutAsADatagram) {
  Packet big("big.test", 1);
  for (int i = 0; i < 40; ++i) big.a("big.test", "203.0.113.1", 300);
  std::vector<uint8_t> full = big.bytes;
  server.answer = [&](const DnsSendRequest&, DnsAnswers* a, int* error) {
    a->len1 = put(full, a->answer1, a->size1);
    a->oversized_udp1 = true;  // came over UDP longer than 512 bytes
    *error = 0;
    return a->len1;
  };
  for (int round = 0; round < 2; ++round) {
    buffer.assign(512, 0);
    DnsAnswers answers;
    answers.answer1 = buffer.data();
    answers.size1 = 512;
    answers.udp_limit = 512;
    int error = 0;
    EXPECT_EQ(cache.send(server.transport(), test_conf(), question("big.test"), &answers, &error),
              512);
    EXPECT_FALSE(buffer[2] & 0x02);
    EXPECT_TRUE(answers.oversized_udp1);
  }
  EXPECT_EQ(server.calls, 1);
}

TEST_F(CacheTest, HitGetsAFreshIdAndMasksAd) {
  server.answer = always(Packet("x.test", 1, 0, 0x81a0).a("x.test", "192.0.2.1", 300).bytes);
  std::vector<int> ids;
  for (int i = 0; i < 8; ++i) {
    ask(question("x.test"));
    ids.push_back(buffer[0] << 8 | buffer[1]);
    EXPECT_FALSE(buffer[3] & 0x20);  // no trust-ad: AD cleared
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_GT(std::unique(ids.begin(), ids.end()) - ids.begin(), 4);
  ResolvConf ad = test_conf();
  ad.trust_ad = true;
  ask(question("x.test"), ad);
  ask(question("x.test"), ad);
  EXPECT_TRUE(buffer[3] & 0x20);
}

TEST_F(CacheTest, LeastRecentlyUsedIsEvictedFirstWithinTheByteLimit) {
  server.answer = [](const DnsSendRequest& r, DnsAnswers* a, int* error) {
    a->len1 = put(Packet(r.name, 1).a(r.name, "192.0.2.1", 300).bytes, a->answer1, a->size1);
    *error = 0;
    return a->len1;
  };
  // Measure one entry, then allow three.
  ask(question("a.test"));
  size_t one = cache.bytes();
  ASSERT_GT(one, 0u);
  cache.flush();
  DnsCacheLimits limits;
  limits.shards = 1;
  limits.max_bytes = one * 3 + one / 2;
  configure(limits);
  server.calls = 0;
  ask(question("a.test"));
  ask(question("b.test"));
  ask(question("c.test"));
  EXPECT_EQ(cache.entries(), 3);
  ask(question("a.test"));  // a becomes the most recently used
  EXPECT_EQ(server.calls, 3);
  ask(question("d.test"));  // evicts b, the least recently used
  EXPECT_EQ(cache.entries(), 3);
  EXPECT_LE(cache.bytes(), limits.max_bytes);
  ask(question("a.test"));
  ask(question("c.test"));
  ask(question("d.test"));
  EXPECT_EQ(server.calls, 4);
  ask(question("b.test"));
  EXPECT_EQ(server.calls, 5);
  EXPECT_LE(cache.bytes(), limits.max_bytes);
  // An entry larger than the whole limit is not kept at all.
  limits.max_bytes = one / 2;
  configure(limits);
  cache.flush();
  ask(question("e.test"));
  EXPECT_EQ(cache.entries(), 0);
}

TEST_F(CacheTest, FlushEmptiesEverything) {
  server.answer = always(Packet("x.test", 1).a("x.test", "192.0.2.1", 300).bytes);
  ask(question("x.test"));
  EXPECT_EQ(cache.entries(), 1);
  cache.flush();
  EXPECT_EQ(cache.entries(), 0);
  EXPECT_EQ(cache.bytes(), 0u);
  ask(question("x.test"));
  EXPECT_EQ(server.calls, 2);
}

// A server that holds every request until released.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  int arrived = 0;
  void wait() {
    std::unique_lock<std::mutex> lock(m);
    ++arrived;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  void wait_arrivals(int n) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return arrived >= n; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(m);
    open = true;
    cv.notify_all();
  }
};

TEST_F(CacheTest, IdenticalRequestsInFlightAreSentOnce) {
  for (bool fail : {false, true}) {
    cache.flush();
    server.calls = 0;
    Gate gate;
    std::vector<uint8_t> answer = Packet("sf.test", 1).a("sf.test", "192.0.2.1", 0).bytes;
    server.answer = [&](const DnsSendRequest&, DnsAnswers* a, int* error) {
      gate.wait();
      if (fail) {
        *error = ETIMEDOUT;
        return -1;
      }
      a->len1 = put(answer, a->answer1, a->size1);
      *error = 0;
      return a->len1;
    };
    constexpr int kThreads = 8;
    std::vector<int> results(kThreads), errors(kThreads);
    std::vector<std::vector<uint8_t>> buffers(kThreads, std::vector<uint8_t>(512));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        DnsAnswers answers;
        answers.answer1 = buffers[i].data();
        answers.size1 = 512;
        results[i] =
            cache.send(server.transport(), test_conf(), question("sf.test"), &answers, &errors[i]);
      });
    }
    gate.wait_arrivals(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the others queue up
    gate.release();
    for (auto& t : threads) t.join();
    EXPECT_EQ(server.calls, 1) << "fail=" << fail;
    for (int i = 0; i < kThreads; ++i) {
      if (fail) {
        EXPECT_EQ(results[i], -1);
        EXPECT_EQ(errors[i], ETIMEDOUT);
      } else {
        EXPECT_EQ(results[i], static_cast<int>(answer.size()));
        EXPECT_EQ(0, memcmp(buffers[i].data() + 2, answer.data() + 2, answer.size() - 2));
      }
    }
    // TTL 0: nothing was kept, the next request goes out again.
    if (!fail) {
      gate.open = true;
      ask(question("sf.test"));
      EXPECT_EQ(server.calls, 2);
    }
  }
}

TEST_F(CacheTest, AWaiterGivesUpAtItsOwnDeadline) {
  Gate gate;
  server.answer = [&](const DnsSendRequest&, DnsAnswers*, int* error) {
    gate.wait();
    *error = ETIMEDOUT;
    return -1;
  };
  std::thread leader([&] { ask(question("slow.test")); });
  gate.wait_arrivals(1);
  ResolvConf quick = test_conf();
  quick.timeout = 1;
  quick.attempts = 1;  // budget 1 s, + 1 s margin
  std::vector<uint8_t> own(512);
  DnsAnswers answers;
  answers.answer1 = own.data();
  answers.size1 = 512;
  int error = 0;
  auto start = std::chrono::steady_clock::now();
  int n = cache.send(server.transport(), quick, question("slow.test"), &answers, &error);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(n, -1);
  EXPECT_EQ(error, ETIMEDOUT);
  EXPECT_GE(waited, std::chrono::milliseconds(1900));
  EXPECT_LT(waited, std::chrono::milliseconds(5000));
  gate.release();
  leader.join();
  EXPECT_EQ(server.calls, 1);
}

TEST_F(CacheTest, ARequestWhoseSenderWasCancelledIsAbandoned) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizers' runtimes report the forced unwinding of pthread_cancel
  // as a stack overflow.
  GTEST_SKIP() << "pthread_cancel under a sanitizer";
#endif
  std::atomic<bool> hang{true};
  server.answer = [&](const DnsSendRequest&, DnsAnswers* a, int* error) {
    while (hang) pause();  // a cancellation point, as the transport's poll is
    a->len1 =
        put(Packet("gone.test", 1).a("gone.test", "192.0.2.1", 0).bytes, a->answer1, a->size1);
    *error = 0;
    return a->len1;
  };
  ResolvConf quick = test_conf();
  quick.timeout = 1;
  quick.attempts = 1;  // budget 1 s: waiters give up after 2 s, the request is abandoned after 4 s
  struct Leader {
    DnsCache* cache;
    FakeServer* server;
    ResolvConf conf;
  } leader_arg{&cache, &server, quick};
  pthread_t leader;
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(0, pthread_create(
                   &leader, nullptr,
                   [](void* p) -> void* {
                     auto* arg = static_cast<Leader*>(p);
                     std::vector<uint8_t> own(512);
                     DnsAnswers answers;
                     answers.answer1 = own.data();
                     answers.size1 = 512;
                     int error;
                     arg->cache->send(arg->server->transport(), arg->conf, question("gone.test"),
                                      &answers, &error);
                     return nullptr;
                   },
                   &leader_arg));
  while (server.calls == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  pthread_cancel(leader);
  pthread_join(leader, nullptr);
  hang = false;

  int error = 0;
  EXPECT_EQ(ask(question("gone.test"), quick, &error), -1);  // waited for a sender that is gone
  EXPECT_EQ(error, ETIMEDOUT);
  EXPECT_EQ(server.calls, 1);
  std::this_thread::sleep_until(start + std::chrono::milliseconds(4200));
  EXPECT_GT(ask(question("gone.test"), quick, &error), 0);  // asks itself now
  EXPECT_EQ(server.calls, 2);
}

DnsCache* g_fork_cache = nullptr;

TEST_F(CacheTest, ForkedChildNeitherDeadlocksNorWaitsForTheParentsRequests) {
  g_fork_cache = &cache;
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, [] {
    // Later tests fork too, with no cache of ours around.
    pthread_atfork(
        [] {
          if (g_fork_cache) g_fork_cache->before_fork();
        },
        [] {
          if (g_fork_cache) g_fork_cache->after_fork_in_parent();
        },
        [] {
          if (g_fork_cache) g_fork_cache->after_fork_in_child();
        });
  });
  server.answer = always(Packet("kept.test", 1).a("kept.test", "192.0.2.1", 300).bytes);
  ask(question("kept.test"));
  ASSERT_EQ(server.calls, 1);

  // One thread sits inside a request; others keep hitting the cache.
  Gate gate;
  std::vector<uint8_t> slow = Packet("slow.test", 1).a("slow.test", "192.0.2.2", 300).bytes;
  std::atomic<bool> in_child{false};
  server.answer = [&](const DnsSendRequest& r, DnsAnswers* a, int* error) {
    if (!in_child && strcmp(r.name, "slow.test") == 0) gate.wait();
    a->len1 =
        put(strcmp(r.name, "slow.test") == 0 ? slow
                                             : Packet(r.name, 1).a(r.name, "192.0.2.1", 300).bytes,
            a->answer1, a->size1);
    *error = 0;
    return a->len1;
  };
  std::thread blocked([&] {
    std::vector<uint8_t> own(512);
    DnsAnswers answers;
    answers.answer1 = own.data();
    answers.size1 = 512;
    int error;
    cache.send(server.transport(), test_conf(), question("slow.test"), &answers, &error);
  });
  gate.wait_arrivals(1);
  std::atomic<bool> stop{false};
  std::thread hammer([&] {
    std::vector<uint8_t> own(512);
    while (!stop) {
      DnsAnswers answers;
      answers.answer1 = own.data();
      answers.size1 = 512;
      int error;
      cache.send(server.transport(), test_conf(), question("kept.test"), &answers, &error);
    }
  });
  for (int round = 0; round < 20; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      alarm(5);
      in_child = true;
      int before = server.calls;
      std::vector<uint8_t> own(512);
      DnsAnswers answers;
      answers.answer1 = own.data();
      answers.size1 = 512;
      int error;
      // Cached in the parent: answered from the child's copy.
      int n = cache.send(server.transport(), test_conf(), question("kept.test"), &answers, &error);
      if (n <= 0 || server.calls != before) _exit(1);
      // In flight in the parent: the child asks itself, without waiting.
      n = cache.send(server.transport(), test_conf(), question("slow.test"), &answers, &error);
      if (n <= 0 || server.calls != before + 1) _exit(2);
      _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child killed (deadlock?) in round " << round;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "round " << round;
  }
  stop = true;
  hammer.join();
  gate.release();
  blocked.join();
  g_fork_cache = nullptr;
}

// The one-second memo of file checks (resolver/recheck.h) trusts only files
// that have been still for a while.
TEST(RecheckTest, OnlyFilesStillForAWhileAreRemembered) {
  char path[] = "/tmp/aresolv-recheck-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  IdentityMemo memo;
  long now = coarse_monotonic_ms();
  FileIdentity fresh = identify_file(path);
  memo.record(fresh, fresh, now);
  EXPECT_FALSE(memo.fresh(now)) << "a file written just now must be checked every time";
  memo.record(FileIdentity(), FileIdentity(), now);
  EXPECT_FALSE(memo.fresh(now)) << "an absent file is checked every time";

  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  now = coarse_monotonic_ms();
  FileIdentity still = identify_file(path);
  memo.record(still, still, now);
  EXPECT_TRUE(memo.fresh(now));
  EXPECT_TRUE(memo.fresh(now + kRecheckIntervalMs - 1));
  EXPECT_FALSE(memo.fresh(now + kRecheckIntervalMs));
  EXPECT_FALSE(memo.fresh(now - 1));  // a clock that went back: check again
  FileIdentity other = still;
  other.size += 1;
  memo.record(other, still, now);  // what is held is not what is there
  EXPECT_FALSE(memo.fresh(now));
  unlink(path);
}

}  // namespace
}  // namespace aresolv
