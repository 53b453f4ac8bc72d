// The per-thread memo of getaddrinfo answers (resolver/answer_memo.h) and
// the window that bounds each answer by the inputs it was made from
// (resolver/recheck.h): files, the DNS cache's lifetimes, and what is read
// afresh on every call.
#include "resolver/answer_memo.h"

#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "resolver/dns.h"
#include "resolver/dns_cache.h"
#include "resolver/file_snapshot.h"
#include "resolver/recheck.h"
#include "tests/unit/dns_packet_builder.h"

namespace aresolv {
namespace {

Address v4(uint8_t last) {
  Address a = {};
  a.family = AF_INET;
  a.bytes[0] = 192;
  a.bytes[2] = 2;
  a.bytes[3] = last;
  return a;
}

ServiceResult stream_port(uint16_t port) {
  ServiceResult services;
  services.tuples[0] = {SOCK_STREAM, IPPROTO_TCP, htons(port)};
  services.count = 1;
  return services;
}

GaiQuestion ask(const char* node, const char* service = nullptr, int flags = AI_ADDRCONFIG,
                int family = AF_UNSPEC, int socktype = SOCK_STREAM, int protocol = 0) {
  return GaiQuestion{node, service, flags, family, socktype, protocol};
}

long in_a_second() { return coarse_monotonic_ms() + kRecheckIntervalMs; }

class AnswerMemoTest : public ::testing::Test {
 protected:
  // Each test starts with nothing remembered on this thread.
  void SetUp() override { forget_repeated_answers(); }
};

TEST_F(AnswerMemoTest, RepeatsWhatWasRemembered) {
  Address addresses[2] = {v4(1), v4(2)};
  remember_answer(ask("www.test", "80"), addresses, 2, stream_port(80), "canon.test",
                  AnswerSource::kDnsCache, in_a_second());
  const RepeatedAnswer* repeated = recall_answer(ask("www.test", "80"));
  ASSERT_NE(repeated, nullptr);
  ASSERT_EQ(repeated->count, 2);
  EXPECT_EQ(memcmp(repeated->addresses, addresses, sizeof addresses), 0);
  ASSERT_EQ(repeated->services.count, 1);
  EXPECT_EQ(repeated->services.tuples[0].port, htons(80));
  ASSERT_NE(repeated->canonical_name(), nullptr);
  EXPECT_STREQ(repeated->canonical_name(), "canon.test");
  EXPECT_EQ(repeated->source, AnswerSource::kDnsCache);

  remember_answer(ask("plain.test"), addresses, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  in_a_second());
  repeated = recall_answer(ask("plain.test"));
  ASSERT_NE(repeated, nullptr);
  EXPECT_EQ(repeated->canonical_name(), nullptr);
}

TEST_F(AnswerMemoTest, EveryPartOfTheQuestionCounts) {
  Address a = v4(1);
  remember_answer(ask("www.test", "80"), &a, 1, stream_port(80), nullptr, AnswerSource::kHosts,
                  in_a_second());
  EXPECT_NE(recall_answer(ask("www.test", "80")), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "81")), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", nullptr)), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "")), nullptr);
  EXPECT_EQ(recall_answer(ask("WWW.test", "80")), nullptr);  // glibc keeps the case it was given
  EXPECT_EQ(recall_answer(ask("www.tesT", "80")), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test.", "80")), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "80", AI_ADDRCONFIG | AI_CANONNAME)), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "80", AI_ADDRCONFIG, AF_INET)), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "80", AI_ADDRCONFIG, AF_UNSPEC, SOCK_DGRAM)), nullptr);
  EXPECT_EQ(recall_answer(ask("www.test", "80", AI_ADDRCONFIG, AF_UNSPEC, SOCK_STREAM, 6)),
            nullptr);

  remember_answer(ask(nullptr, "80"), &a, 1, stream_port(80), nullptr, AnswerSource::kNumeric,
                  in_a_second());
  EXPECT_NE(recall_answer(ask(nullptr, "80")), nullptr);
  EXPECT_EQ(recall_answer(ask("", "80")), nullptr);
}

TEST_F(AnswerMemoTest, AnAnswerEndsWithItsWindow) {
  Address a = v4(1);
  remember_answer(ask("past.test"), &a, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  coarse_monotonic_ms());
  EXPECT_EQ(recall_answer(ask("past.test")), nullptr) << "a window that closed keeps nothing";

  remember_answer(ask("soon.test"), &a, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  coarse_monotonic_ms() + 100);
  EXPECT_NE(recall_answer(ask("soon.test")), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_EQ(recall_answer(ask("soon.test")), nullptr);
}

TEST_F(AnswerMemoTest, ForgettingReachesEveryThread) {
  Address a = v4(1);
  remember_answer(ask("www.test"), &a, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  in_a_second());
  std::thread other([] { forget_repeated_answers(); });
  other.join();
  EXPECT_EQ(recall_answer(ask("www.test")), nullptr);
}

TEST_F(AnswerMemoTest, EachThreadHasItsOwn) {
  Address a = v4(1);
  remember_answer(ask("mine.test"), &a, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  in_a_second());
  bool seen_elsewhere = true;
  std::thread other([&] { seen_elsewhere = recall_answer(ask("mine.test")) != nullptr; });
  other.join();
  EXPECT_FALSE(seen_elsewhere);
  EXPECT_NE(recall_answer(ask("mine.test")), nullptr);
}

TEST_F(AnswerMemoTest, WhatDoesNotFitIsNotKept) {
  Address many[kRepeatedAddresses + 1];
  for (int i = 0; i <= kRepeatedAddresses; ++i) many[i] = v4(static_cast<uint8_t>(i));
  remember_answer(ask("many.test"), many, kRepeatedAddresses + 1, stream_port(0), nullptr,
                  AnswerSource::kDnsCache, in_a_second());
  EXPECT_EQ(recall_answer(ask("many.test")), nullptr);
  remember_answer(ask("enough.test"), many, kRepeatedAddresses, stream_port(0), nullptr,
                  AnswerSource::kDnsCache, in_a_second());
  EXPECT_NE(recall_answer(ask("enough.test")), nullptr);

  std::string long_name(kRepeatedTextBytes, 'a');
  remember_answer(ask(long_name.c_str()), many, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                  in_a_second());
  EXPECT_EQ(recall_answer(ask(long_name.c_str())), nullptr);
}

TEST_F(AnswerMemoTest, TheOldestGoesFirstWhenFull) {
  Address a = v4(1);
  std::string names[kRepeatedAnswersPerThread + 1];
  for (int i = 0; i <= kRepeatedAnswersPerThread; ++i) {
    names[i] = "n" + std::to_string(i) + ".test";
    remember_answer(ask(names[i].c_str()), &a, 1, stream_port(0), nullptr, AnswerSource::kHosts,
                    in_a_second());
  }
  int kept = 0;
  for (int i = 0; i <= kRepeatedAnswersPerThread; ++i)
    if (recall_answer(ask(names[i].c_str())) != nullptr) ++kept;
  EXPECT_EQ(kept, kRepeatedAnswersPerThread);
  EXPECT_NE(recall_answer(ask(names[kRepeatedAnswersPerThread].c_str())), nullptr);

  // The same question again replaces its answer instead of taking a slot.
  Address b = v4(2);
  remember_answer(ask(names[kRepeatedAnswersPerThread].c_str()), &b, 1, stream_port(0), nullptr,
                  AnswerSource::kHosts, in_a_second());
  const RepeatedAnswer* repeated = recall_answer(ask(names[kRepeatedAnswersPerThread].c_str()));
  ASSERT_NE(repeated, nullptr);
  EXPECT_EQ(repeated->addresses[0].bytes[3], 2);
}

TEST_F(AnswerMemoTest, LocaleDependentQuestionsAreNeverRepeated) {
  EXPECT_TRUE(answer_memo_applies(AI_ADDRCONFIG | AI_CANONNAME | AI_V4MAPPED | AI_ALL));
  EXPECT_FALSE(answer_memo_applies(AI_IDN));
  EXPECT_FALSE(answer_memo_applies(AI_CANONNAME | AI_CANONIDN));
}

// ---- the window ------------------------------------------------------------

TEST(AnswerRepeatWindowTest, InputsNarrowIt) {
  limit_answer_repeat(0);  // outside any window: no effect on the next one
  AnswerRepeatWindow window;
  EXPECT_EQ(window.until_ms(), window.opened_ms() + kRecheckIntervalMs);
  limit_answer_repeat(window.opened_ms() + 300);
  limit_answer_repeat(window.opened_ms() + 900);
  EXPECT_EQ(window.until_ms(), window.opened_ms() + 300);
  {
    AnswerRepeatWindow nested;  // a lookup inside a lookup narrows the outer one
    limit_answer_repeat(window.opened_ms() + 100);
  }
  EXPECT_EQ(window.until_ms(), window.opened_ms() + 100);
}

TEST(AnswerRepeatWindowTest, AFileBeingEditedClosesIt) {
  char path[] = "/tmp/aresolv-window-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  AnswerRepeatWindow window;
  IdentityMemo memo;
  FileIdentity just_written = identify_file(path);
  memo.record(just_written, just_written, window.opened_ms());
  EXPECT_LE(window.until_ms(), window.opened_ms());
  unlink(path);
}

// The DNS cache tells the window how long its answers hold.
struct OneAnswerServer {
  std::vector<uint8_t> reply;
  int calls = 0;
  static int send(void* context, const ResolvConf&, const DnsSendRequest&, DnsAnswers* answers,
                  int* error) {
    auto* self = static_cast<OneAnswerServer*>(context);
    ++self->calls;
    answers->len1 = answers->len2 = answers->unusable_len = 0;
    if (self->reply.empty()) {
      *error = ETIMEDOUT;
      return -1;
    }
    memcpy(answers->answer1, self->reply.data(), self->reply.size());
    answers->len1 = static_cast<int>(self->reply.size());
    return answers->len1;
  }
};

// How long after the request returned its answer may still be repeated
// (<= 0: not at all). Read against the clock after the request, which a slow
// machine (qemu) may have moved on by a tick since the window opened.
long window_after_asking(DnsCache& cache, OneAnswerServer& server, const char* name) {
  ResolvConf conf;
  conf.nameserver_count = 1;
  conf.nameservers[0].family = AF_INET;
  conf.nameservers[0].bytes[0] = 127;
  conf.nameservers[0].bytes[3] = 1;
  uint8_t buffer[4096];
  DnsAnswers answers;
  answers.answer1 = buffer;
  answers.size1 = sizeof buffer;
  int error = 0;
  AnswerRepeatWindow window;
  cache.send(DnsTransport{&OneAnswerServer::send, &server}, conf,
             DnsSendRequest{name, kDnsClassIn, kDnsTypeA, 0, 1200}, &answers, &error);
  return window.until_ms() - coarse_monotonic_ms();
}

TEST(AnswerRepeatWindowTest, FollowsTheDnsCache) {
  DnsCache cache;
  cache.configure(DnsCacheLimits());  // the real coarse clock
  OneAnswerServer server;

  server.reply = dns_test::Packet("long.test", 1).a("long.test", "192.0.2.1", 300).bytes;
  // Not shortened by the cache: the TTL outlasts the window's own second.
  EXPECT_GE(window_after_asking(cache, server, "long.test"), kRecheckIntervalMs / 2);
  EXPECT_GE(window_after_asking(cache, server, "long.test"), kRecheckIntervalMs / 2);
  EXPECT_EQ(server.calls, 1);

  server.reply = dns_test::Packet("zero.test", 1).a("zero.test", "192.0.2.1", 0).bytes;
  EXPECT_LE(window_after_asking(cache, server, "zero.test"), 0) << "TTL 0 is asked every time";

  server.reply.clear();
  EXPECT_LE(window_after_asking(cache, server, "lost.test"), 0) << "a timeout is not kept";
  cache.flush();
}

}  // namespace
}  // namespace aresolv
