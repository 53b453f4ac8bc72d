#include "resolver/dns_answer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>

#include <memory>
#include <string>

#include "dns_packet_builder.h"

using aresolv::HostentAnswer;
using aresolv::NameResult;
using aresolv::NssStatus;
using dns_test::Packet;

namespace {

std::string addr_text(const aresolv::Address& a) {
  char buf[64];
  inet_ntop(a.family, a.bytes, buf, sizeof buf);
  return buf;
}

struct Parsed {
  NssStatus status;
  int herr;
  std::unique_ptr<NameResult> r = std::make_unique<NameResult>();
};

Parsed parse(const Packet& p1, const Packet* p2 = nullptr) {
  Parsed out;
  out.status = aresolv::dns_parse_addrinfo_answer(
      p1.bytes.data(), static_cast<int>(p1.bytes.size()), p2 ? p2->bytes.data() : nullptr,
      p2 ? static_cast<int>(p2->bytes.size()) : 0, out.r.get(), &out.herr);
  return out;
}

TEST(DnsAnswer, AThenAaaaInAnswerOrder) {
  Packet a("www.example.org", 1);
  a.a("www.example.org", "192.0.2.2").a("www.example.org", "192.0.2.1");
  Packet aaaa("www.example.org", 28);
  aaaa.aaaa("www.example.org", "2001:db8::1");
  Parsed p = parse(a, &aaaa);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  ASSERT_EQ(p.r->count, 3);
  EXPECT_EQ(addr_text(p.r->addresses[0]), "192.0.2.2");
  EXPECT_EQ(addr_text(p.r->addresses[1]), "192.0.2.1");
  EXPECT_EQ(addr_text(p.r->addresses[2]), "2001:db8::1");
  EXPECT_STREQ(p.r->canonical_name, "www.example.org");
  EXPECT_EQ(p.herr, NETDB_SUCCESS);
}

TEST(DnsAnswer, CompressedOwnerAndCnameChain) {
  Packet a("www.example.org", 1);
  // owner by pointer to the question name (offset 12)
  a.rr("", 5, 100, {3, 'c', 'd', 'n', 0xc0, 16}, 1, 12);  // www.example.org CNAME cdn.example.org
  a.a("cdn.example.org", "192.0.2.7", 50);
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  ASSERT_EQ(p.r->count, 1);
  EXPECT_STREQ(p.r->canonical_name, "cdn.example.org");
  EXPECT_EQ(p.r->ttl, 50u);
}

TEST(DnsAnswer, OwnerMustMatchCurrentChainName) {
  Packet a("www.example.org", 1);
  a.cname("www.example.org", "b.example.org", 30)
      .a("www.example.org", "192.0.2.1")  // owner is no longer the chain's name
      .a("B.EXAMPLE.ORG", "192.0.2.2")    // case-insensitive match
      .a("other.example.org", "192.0.2.3");
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  ASSERT_EQ(p.r->count, 1);
  EXPECT_EQ(addr_text(p.r->addresses[0]), "192.0.2.2");
  EXPECT_EQ(p.r->ttl, 30u);
}

TEST(DnsAnswer, CnameOwnerIsNotChecked) {
  Packet a("www.example.org", 1);
  a.cname("unrelated.example.org", "x.example.org").a("x.example.org", "192.0.2.9");
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  EXPECT_STREQ(p.r->canonical_name, "x.example.org");
}

TEST(DnsAnswer, OnlyCnameIsNotFound) {
  Packet a("www.example.org", 1);
  a.cname("www.example.org", "x.example.org");
  Parsed p = parse(a);
  EXPECT_EQ(p.status, NssStatus::kNotFound);
  EXPECT_EQ(p.herr, HOST_NOT_FOUND);
}

TEST(DnsAnswer, WrongLengthAndWrongTypeSkipped) {
  Packet a("h.example", 1);
  a.rr("h.example", 1, 10, {1, 2, 3}).aaaa("h.example", "::1").a("h.example", "10.0.0.1");
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  ASSERT_EQ(p.r->count, 1);
  EXPECT_EQ(addr_text(p.r->addresses[0]), "10.0.0.1");
}

TEST(DnsAnswer, TtlMinimumOverCnameAndAddressRecords) {
  Packet a("h.example", 1);
  a.cname("h.example", "i.example", 500)
      .a("i.example", "10.0.0.1", 400)
      .a("i.example", "10.0.0.2", 90);
  a.rr("i.example", 16, 5, {0});  // TXT: its TTL does not count
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  EXPECT_EQ(p.r->ttl, 90u);
}

TEST(DnsAnswer, CanonicalNameFromSecondPacketWhenFirstEmpty) {
  Packet a("h.example", 1);  // NODATA for A
  Packet aaaa("h.example", 28);
  aaaa.cname("h.example", "v6.example").aaaa("v6.example", "2001:db8::5");
  Parsed p = parse(a, &aaaa);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  EXPECT_STREQ(p.r->canonical_name, "v6.example");
}

TEST(DnsAnswer, BadCnameTargetNotUsedAsCanonicalName) {
  Packet a("h.example", 1);
  a.cname("h.example", "bad name.example").a("bad name.example", "10.1.1.1");
  Parsed p = parse(a);
  ASSERT_EQ(p.status, NssStatus::kSuccess);
  EXPECT_STREQ(p.r->canonical_name, "h.example");
}

TEST(DnsAnswer, QnameNotHostNameIsNotFound) {
  Packet a("-h.example", 1);
  a.a("-h.example", "10.1.1.1");
  Parsed p = parse(a);
  EXPECT_EQ(p.status, NssStatus::kNotFound);
}

TEST(DnsAnswer, TruncatedPacketsDoNotCrash) {
  Packet a("www.example.org", 1);
  a.cname("www.example.org", "x.example.org").a("x.example.org", "192.0.2.1");
  for (size_t len = 0; len < a.bytes.size(); ++len) {
    NameResult r;
    int herr = 0;
    NssStatus s = aresolv::dns_parse_addrinfo_answer(a.bytes.data(), static_cast<int>(len), nullptr,
                                                     0, &r, &herr);
    EXPECT_NE(s, NssStatus::kSuccess) << len;
    HostentAnswer h;
    aresolv::dns_parse_hostent_answer(a.bytes.data(), static_cast<int>(len), 1, &h, &herr);
  }
}

TEST(DnsAnswer, RecordPastEndFailsEvenAfterAddresses) {
  Packet a("h.example", 1);
  a.a("h.example", "10.0.0.1");
  a.bytes[7] = 2;  // claims a second record
  NameResult r;
  int herr;
  EXPECT_EQ(aresolv::dns_parse_addrinfo_answer(a.bytes.data(), static_cast<int>(a.bytes.size()),
                                               nullptr, 0, &r, &herr),
            NssStatus::kUnavail);
  EXPECT_EQ(herr, NO_RECOVERY);
}

TEST(DnsAnswer, CompressionLoopAndBadPointersRejected) {
  Packet a("h.example", 1);
  std::vector<uint8_t> p = a.bytes;
  size_t loop_at = p.size();
  dns_test::put16(p, 0xc000 | static_cast<int>(loop_at));  // points to itself
  dns_test::put16(p, 1);
  dns_test::put16(p, 1);
  dns_test::put32(p, 1);
  dns_test::put16(p, 4);
  p.insert(p.end(), {1, 2, 3, 4});
  p[7] = 1;
  NameResult r;
  int herr;
  EXPECT_EQ(aresolv::dns_parse_addrinfo_answer(p.data(), static_cast<int>(p.size()), nullptr, 0, &r,
                                               &herr),
            NssStatus::kUnavail);
  p[loop_at + 1] = 0xff;  // past the end
  EXPECT_EQ(aresolv::dns_parse_addrinfo_answer(p.data(), static_cast<int>(p.size()), nullptr, 0, &r,
                                               &herr),
            NssStatus::kUnavail);
  uint8_t wire[255];
  EXPECT_LT(aresolv::dns_unpack_name(p.data(), p.data() + p.size(), p.data() + loop_at, wire), 0);
}

TEST(DnsAnswer, CompressedQuestionRejected) {
  Packet a("h.example", 1);
  std::vector<uint8_t> p(a.bytes.begin(), a.bytes.begin() + 12);
  p.insert(p.end(), {1, 'h', 0xc0, 12, 0, 1, 0, 1});
  NameResult r;
  int herr;
  EXPECT_EQ(aresolv::dns_parse_addrinfo_answer(p.data(), static_cast<int>(p.size()), nullptr, 0, &r,
                                               &herr),
            NssStatus::kUnavail);
}

TEST(DnsAnswer, HostentAliasesFromChain) {
  Packet a("a.example", 1);
  a.cname("a.example", "b.example", 100)
      .cname("b.example", "c.example", 200)
      .a("c.example", "10.9.9.9", 300);
  auto h = std::make_unique<HostentAnswer>();
  int herr;
  ASSERT_EQ(aresolv::dns_parse_hostent_answer(a.bytes.data(), static_cast<int>(a.bytes.size()), 1,
                                              h.get(), &herr),
            NssStatus::kSuccess);
  EXPECT_STREQ(h->result.canonical_name, "c.example");
  ASSERT_EQ(h->alias_count, 2);
  EXPECT_STREQ(h->aliases[0], "a.example");
  EXPECT_STREQ(h->aliases[1], "b.example");
  EXPECT_EQ(h->result.ttl, 100u);
}

TEST(DnsAnswer, HostentSkipsOtherClassesAndNxdomain) {
  Packet a("a.example", 1);
  a.rr("a.example", 1, 10, {10, 0, 0, 1}, 3).a("a.example", "10.0.0.2");
  auto h = std::make_unique<HostentAnswer>();
  int herr;
  ASSERT_EQ(aresolv::dns_parse_hostent_answer(a.bytes.data(), static_cast<int>(a.bytes.size()), 1,
                                              h.get(), &herr),
            NssStatus::kSuccess);
  ASSERT_EQ(h->result.count, 1);
  EXPECT_EQ(addr_text(h->result.addresses[0]), "10.0.0.2");
  EXPECT_STREQ(h->result.canonical_name, "a.example");

  Packet nx("a.example", 1, 3);
  EXPECT_EQ(aresolv::dns_parse_hostent_answer(nx.bytes.data(), static_cast<int>(nx.bytes.size()), 1,
                                              h.get(), &herr),
            NssStatus::kNotFound);
  EXPECT_EQ(herr, HOST_NOT_FOUND);

  Packet empty("a.example", 1);
  empty.cname("a.example", "b.example");
  EXPECT_EQ(aresolv::dns_parse_hostent_answer(
                empty.bytes.data(), static_cast<int>(empty.bytes.size()), 1, h.get(), &herr),
            NssStatus::kTryAgain);
  EXPECT_EQ(herr, NO_RECOVERY);
}

TEST(DnsAnswer, TextHnok) {
  EXPECT_TRUE(aresolv::dns_text_hnok("www.example.org"));
  EXPECT_TRUE(aresolv::dns_text_hnok("www.example.org."));
  EXPECT_TRUE(aresolv::dns_text_hnok("under_score"));
  EXPECT_FALSE(aresolv::dns_text_hnok("-lead.example"));
  EXPECT_FALSE(aresolv::dns_text_hnok("sp ace"));
  EXPECT_FALSE(aresolv::dns_text_hnok("a..b"));
  EXPECT_FALSE(aresolv::dns_text_hnok("a\\.b"));  // the escaped dot is inside a label
  EXPECT_FALSE(aresolv::dns_text_hnok(std::string(64, 'a').c_str()));
  EXPECT_TRUE(aresolv::dns_text_hnok(std::string(63, 'a').c_str()));
}

// The check gethostbyname*'s dns source makes (it had its own copy once).
TEST(DnsAnswer, TextHnokAsGethostbynameUsesIt) {
  EXPECT_TRUE(aresolv::dns_text_hnok("a-b_c.example"));
  EXPECT_TRUE(aresolv::dns_text_hnok("example."));
  EXPECT_FALSE(aresolv::dns_text_hnok("-a.example"));
  EXPECT_FALSE(aresolv::dns_text_hnok("a b"));
  EXPECT_FALSE(aresolv::dns_text_hnok("a..b"));
}

}  // namespace
