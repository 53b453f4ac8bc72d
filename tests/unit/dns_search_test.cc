#include "resolver/dns_search.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dns_packet_builder.h"
#include "resolver/dns.h"

using aresolv::DnsAnswers;
using aresolv::DnsSendRequest;
using aresolv::ResolvConf;
using aresolv::Status;
using dns_test::Packet;

namespace {

enum class Kind { kAddress, kNxDomain, kNoData, kServFail, kTimeout, kRefusedConnection, kRefused };

struct FakeDns {
  std::map<std::string, Kind> names;  // lower-case, no trailing dot
  std::vector<std::string> asked;     // as sent, with the type for AAAA-only
  Kind fallback = Kind::kNxDomain;

  static std::string key(const char* name) {
    std::string s(name);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  Packet build(const std::string& qname, int type, Kind kind) {
    switch (kind) {
      case Kind::kAddress: {
        Packet p(qname, type);
        if (type == 1)
          p.a(qname, "192.0.2.1");
        else
          p.aaaa(qname, "2001:db8::1");
        return p;
      }
      case Kind::kNxDomain:
        return Packet(qname, type, 3);
      case Kind::kServFail:
        return Packet(qname, type, 2);
      case Kind::kRefused:
        return Packet(qname, type, 5);
      default:
        return Packet(qname, type);
    }
  }

  static int send(void* ctx, const ResolvConf&, const DnsSendRequest& req, DnsAnswers* answers,
                  int* error) {
    auto* self = static_cast<FakeDns*>(ctx);
    std::string name = key(req.name);
    self->asked.push_back(std::string(req.name) + (req.type == 28 ? "/AAAA" : ""));
    auto it = self->names.find(name);
    Kind kind = it == self->names.end() ? self->fallback : it->second;
    answers->len1 = answers->len2 = 0;
    if (kind == Kind::kTimeout) {
      *error = ETIMEDOUT;
      return -1;
    }
    if (kind == Kind::kRefusedConnection) {
      *error = ECONNREFUSED;
      return -1;
    }
    Packet p1 = self->build(name, req.type, kind);
    if (kind == Kind::kServFail || kind == Kind::kRefused) {
      // res_send skips such servers; the last response stays in the buffer.
      memcpy(answers->answer1, p1.bytes.data(), p1.bytes.size());
      *error = ETIMEDOUT;
      return -1;
    }
    memcpy(answers->answer1, p1.bytes.data(), p1.bytes.size());
    answers->len1 = static_cast<int>(p1.bytes.size());
    if (req.type2 != 0 && answers->answer2 != nullptr) {
      Packet p2 = self->build(name, req.type2, kind);
      memcpy(answers->answer2, p2.bytes.data(), p2.bytes.size());
      answers->len2 = static_cast<int>(p2.bytes.size());
    }
    *error = 0;
    return answers->len1;
  }
  aresolv::DnsTransport transport() { return {&FakeDns::send, this}; }
};

class DnsSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    conf = std::make_unique<ResolvConf>();
    conf->nameserver_count = 1;
    set_search({"corp.example", "example"});
  }
  void set_search(std::vector<const char*> domains) {
    conf->search_count = 0;
    size_t used = 0;
    for (const char* d : domains) {
      conf->search.offsets[conf->search_count++] = static_cast<uint16_t>(used);
      strcpy(conf->search.storage + used, d);
      used += strlen(d) + 1;
    }
  }
  int search(const char* name, int type = 1) {
    DnsAnswers answers;
    answers.answer1 = buf1;
    answers.size1 = sizeof buf1;
    if (type == aresolv::kDnsTypeAAndAAAA) {
      answers.answer2 = buf2;
      answers.size2 = sizeof buf2;
    }
    aresolv::DnsOutcome outcome;
    int n = aresolv::dns_context_search(fake.transport(), *conf, name, 1, type, 1200, &answers,
                                        &outcome);
    herr = outcome.h_errno_value;
    sys_errno = outcome.sys_errno;
    return n;
  }
  std::unique_ptr<ResolvConf> conf;
  FakeDns fake;
  uint8_t buf1[4096];
  uint8_t buf2[4096];
  int herr = 0;
  int sys_errno = 0;
};

using Names = std::vector<std::string>;

TEST_F(DnsSearch, NoDotsWalksSearchListThenAsIs) {
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host.example", "host"}));
  EXPECT_EQ(herr, HOST_NOT_FOUND);
}

TEST_F(DnsSearch, EnoughDotsTriesAsIsFirst) {
  EXPECT_LT(search("a.b"), 0);
  EXPECT_EQ(fake.asked, (Names{"a.b", "a.b.corp.example", "a.b.example"}));
}

TEST_F(DnsSearch, NdotsRaisesThreshold) {
  conf->ndots = 2;
  search("a.b");
  EXPECT_EQ(fake.asked, (Names{"a.b.corp.example", "a.b.example", "a.b"}));
}

TEST_F(DnsSearch, TrailingDotOnlyAsIs) {
  fake.names["host"] = Kind::kNoData;
  EXPECT_LT(search("host."), 0);
  EXPECT_EQ(fake.asked, (Names{"host."}));
  EXPECT_EQ(herr, NO_DATA);
}

TEST_F(DnsSearch, FirstSuccessWins) {
  fake.names["host.example"] = Kind::kAddress;
  EXPECT_GT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host.example"}));
}

TEST_F(DnsSearch, NoDataRememberedOverLaterNotFound) {
  fake.names["host.corp.example"] = Kind::kNoData;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked.size(), 3u);
  EXPECT_EQ(herr, NO_DATA);
}

TEST_F(DnsSearch, AsIsErrorWinsWhenTriedFirst) {
  fake.names["a.b.corp.example"] = Kind::kNoData;
  EXPECT_LT(search("a.b"), 0);
  EXPECT_EQ(herr, HOST_NOT_FOUND);  // from the first, as-is query
}

TEST_F(DnsSearch, ServfailContinuesAndGivesTryAgain) {
  fake.names["host.corp.example"] = Kind::kServFail;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host.example", "host"}));
  EXPECT_EQ(herr, TRY_AGAIN);
}

TEST_F(DnsSearch, TimeoutStopsSearchButStillTriesAsIs) {
  fake.names["host.corp.example"] = Kind::kTimeout;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host"}));
  EXPECT_EQ(herr, HOST_NOT_FOUND);  // the as-is query's, and errno is 0 again
  EXPECT_EQ(sys_errno, 0);
}

TEST_F(DnsSearch, ConnectionRefusedStopsEverything) {
  fake.fallback = Kind::kRefusedConnection;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example"}));
  EXPECT_EQ(herr, TRY_AGAIN);
  EXPECT_EQ(sys_errno, ECONNREFUSED);
}

TEST_F(DnsSearch, RefusedRcodeStopsSearch) {
  fake.names["host.corp.example"] = Kind::kRefused;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host"}));
}

TEST_F(DnsSearch, NoTldQuerySkipsBareName) {
  conf->no_tld_query = true;
  EXPECT_LT(search("host"), 0);
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host.example"}));
}

TEST_F(DnsSearch, RootOnSearchListReplacesAsIs) {
  set_search({"corp.example", "."});
  search("host");
  EXPECT_EQ(fake.asked, (Names{"host.corp.example", "host."}));
}

TEST_F(DnsSearch, EmptySearchList) {
  set_search({});
  search("host");
  EXPECT_EQ(fake.asked, (Names{"host"}));
}

TEST_F(DnsSearch, TooLongNameIsNoRecovery) {
  std::string name(1030, 'a');
  set_search({});
  EXPECT_LT(search(name.c_str()), 0);
  EXPECT_TRUE(fake.asked.empty());
  EXPECT_EQ(herr, NO_RECOVERY);
}

TEST_F(DnsSearch, DualQueryAndLookupName) {
  fake.names["host.example"] = Kind::kAddress;
  auto result = std::make_unique<aresolv::NameResult>();
  int h = 0;
  Status s =
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "host", AF_UNSPEC, result.get(), &h);
  ASSERT_EQ(s, Status::kSuccess);
  ASSERT_EQ(result->count, 2);
  EXPECT_EQ(result->addresses[0].family, AF_INET);
  EXPECT_EQ(result->addresses[1].family, AF_INET6);
  EXPECT_STREQ(result->canonical_name, "host.example");
}

TEST_F(DnsSearch, LookupNameStatusMapping) {
  auto result = std::make_unique<aresolv::NameResult>();
  int h = 0;
  EXPECT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "nohost", AF_UNSPEC, result.get(), &h),
      Status::kNotFound);
  EXPECT_EQ(h, HOST_NOT_FOUND);

  fake.fallback = Kind::kNoData;
  EXPECT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "nohost", AF_UNSPEC, result.get(), &h),
      Status::kNoData);
  EXPECT_EQ(h, NO_DATA);

  fake.fallback = Kind::kTimeout;
  EXPECT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "x.y", AF_UNSPEC, result.get(), &h),
      Status::kUnavail);
  EXPECT_EQ(h, TRY_AGAIN);

  fake.fallback = Kind::kServFail;  // every server failed: UNAVAIL with TRY_AGAIN
  EXPECT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "nohost", AF_INET, result.get(), &h),
      Status::kUnavail);
  EXPECT_EQ(h, TRY_AGAIN);

  // check_name of gethostbyname4_r, before any query
  fake.asked.clear();
  EXPECT_EQ(aresolv::dns_lookup_name_with(fake.transport(), *conf, "bad name", AF_UNSPEC,
                                          result.get(), &h),
            Status::kNotFound);
  EXPECT_TRUE(fake.asked.empty());
}

TEST_F(DnsSearch, NoAaaaSendsOnlyA) {
  conf->no_aaaa = true;
  fake.names["host.example"] = Kind::kAddress;
  auto result = std::make_unique<aresolv::NameResult>();
  int h = 0;
  ASSERT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "host", AF_UNSPEC, result.get(), &h),
      Status::kSuccess);
  EXPECT_EQ(result->count, 1);
  EXPECT_EQ(result->addresses[0].family, AF_INET);

  // An AAAA question is answered from an A query, as NODATA.
  fake.asked.clear();
  EXPECT_EQ(
      aresolv::dns_lookup_name_with(fake.transport(), *conf, "host", AF_INET6, result.get(), &h),
      Status::kNoData);
  EXPECT_EQ(h, NO_DATA);
  for (const auto& n : fake.asked) EXPECT_EQ(n.find("/AAAA"), std::string::npos);
}

}  // namespace
