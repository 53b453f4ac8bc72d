#include "resolver/services.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace aresolv {
namespace {

// Expected answers confirmed with glibc 2.36's getservbyname_r and
// getservbyport_r ("services: files", the same text bind-mounted over
// /etc/services).
const char kServices[] =
    "# c\n"
    "http 80/tcp www # web\n"
    "http 80/udp\n"
    "HTTP 81/tcp\n"
    "hex 0x50/sctp hexa\n"
    "oct 010/tcp\n"
    "neg -1/tcp\n"
    "big 65616/tcp\n"
    "huge 99999999999/tcp\n"
    "noproto 90\n"
    "dbl 91//tcp\n"
    "bad 9x/tcp\n"
    "  lead 92/tcp\n"
    "sp 93 /tcp\n"
    "foo 94/tcp\n"
    "foo 95/tcp\n"
    "plus +96/tcp\n"
    "a -0/tcp\n"
    "b 4294967295/tcp\n"
    "c 4294967296/tcp\n"
    "d 4294901760/tcp\n"
    "g -2/tcp\n";

class Services {
 public:
  Services(const char* text, size_t length) : table_(services_table_parse(text, length)) {
    EXPECT_NE(table_, nullptr);
  }
  explicit Services(const std::string& text) : Services(text.data(), text.size()) {}
  ~Services() { services_table_release(table_); }
  int port(const char* name, const char* proto) {
    uint16_t port = 0;
    Status s = services_table_port_by_name(*table_, name, proto, &port);
    if (s == Status::kNotFound) return -1;
    EXPECT_EQ(s, Status::kSuccess);
    return port;
  }
  std::string name(uint16_t port, const char* proto) {
    char buf[64];
    Status s = services_table_name_by_port(*table_, port, proto, buf, sizeof buf);
    if (s == Status::kNotFound) return "none";
    EXPECT_EQ(s, Status::kSuccess);
    return buf;
  }
  const ServicesTable& table() { return *table_; }

 private:
  ServicesTable* table_;
};

TEST(Services, ByName) {
  Services s(kServices);
  EXPECT_EQ(s.port("http", "tcp"), 80);
  EXPECT_EQ(s.port("http", "udp"), 80);
  EXPECT_EQ(s.port("http", nullptr), 80);
  EXPECT_EQ(s.port("www", nullptr), 80);
  EXPECT_EQ(s.port("www", "udp"), -1);  // the alias is on the tcp line only
  EXPECT_EQ(s.port("HTTP", "tcp"), 81);
  EXPECT_EQ(s.port("Http", "tcp"), -1);  // case-sensitive
  EXPECT_EQ(s.port("c", "tcp"), -1);     // "# c" is a comment
  EXPECT_EQ(s.port("web", nullptr), -1);
  EXPECT_EQ(s.port("foo", "tcp"), 94);  // first line wins
}

TEST(Services, PortNumbersReadByStrtoul) {
  Services s(kServices);
  EXPECT_EQ(s.port("hex", "sctp"), 80);
  EXPECT_EQ(s.port("hexa", nullptr), 80);
  EXPECT_EQ(s.port("oct", "tcp"), 8);
  EXPECT_EQ(s.port("big", "tcp"), 80);  // low 16 bits
  EXPECT_EQ(s.port("plus", "tcp"), 96);
  EXPECT_EQ(s.port("a", "tcp"), 0);
  EXPECT_EQ(s.port("b", "tcp"), 65535);
  EXPECT_EQ(s.port("d", "tcp"), 0);
  // Values above 32 bits (negative ones included) skip the line.
  EXPECT_EQ(s.port("neg", "tcp"), -1);
  EXPECT_EQ(s.port("huge", "tcp"), -1);
  EXPECT_EQ(s.port("c", "tcp"), -1);
  EXPECT_EQ(s.port("g", "tcp"), -1);
}

TEST(Services, LineShapes) {
  Services s(kServices);
  EXPECT_EQ(s.port("noproto", nullptr), 90);
  EXPECT_EQ(s.port("noproto", ""), 90);
  EXPECT_EQ(s.port("noproto", "tcp"), -1);
  EXPECT_EQ(s.port("dbl", "tcp"), 91);
  EXPECT_EQ(s.port("bad", "tcp"), -1);
  EXPECT_EQ(s.port("lead", "tcp"), 92);
  EXPECT_EQ(s.port("sp", "tcp"), -1);
  EXPECT_EQ(s.port("sp", ""), -1);
}

TEST(Services, ByPort) {
  Services s(kServices);
  EXPECT_EQ(s.name(80, nullptr), "http");
  EXPECT_EQ(s.name(80, "udp"), "http");
  EXPECT_EQ(s.name(80, "sctp"), "hex");
  EXPECT_EQ(s.name(8, "tcp"), "oct");
  EXPECT_EQ(s.name(65535, nullptr), "b");
  EXPECT_EQ(s.name(91, "tcp"), "dbl");
  EXPECT_EQ(s.name(90, ""), "noproto");
  EXPECT_EQ(s.name(81, "udp"), "none");
}

TEST(Services, NameTooLongForBuffer) {
  Services s("verylongname 5/tcp\n");
  char buf[12];
  errno = 0;
  EXPECT_EQ(services_table_name_by_port(s.table(), 5, "tcp", buf, sizeof buf), Status::kSystem);
  EXPECT_EQ(errno, ERANGE);
  char exact[13];
  EXPECT_EQ(services_table_name_by_port(s.table(), 5, "tcp", exact, sizeof exact),
            Status::kSuccess);
  EXPECT_STREQ(exact, "verylongname");
}

TEST(Services, ReadsLinesAsFgetsDoes) {
  // A NUL ends a line's text; the last line, indented and without newline,
  // gets its tail doubled as glibc's nss_readline does.
  std::string text("one 1/tcp\0two 2/tcp\n  three 3/tcp", 34);
  Services s(text);
  EXPECT_EQ(s.port("one", "tcp"), 1);
  EXPECT_EQ(s.port("two", "tcp"), -1);
  EXPECT_EQ(s.port("three", "tcp"), -1);
  EXPECT_EQ(s.port("three", "tcpcp"), 3);
}

TEST(Services, ParsesArbitraryBytes) {
  srand(11);
  for (int round = 0; round < 2000; ++round) {
    size_t n = rand() % 200;
    std::vector<char> bytes(n);
    const char pool[] = " \t\n#/+-0123456789abcxtcp\0";
    for (auto& c : bytes) c = rand() % 4 ? pool[rand() % (sizeof pool - 1)] : rand();
    ServicesTable* t = services_table_parse(bytes.data(), bytes.size());
    ASSERT_NE(t, nullptr);
    uint16_t port;
    services_table_port_by_name(*t, "a", nullptr, &port);
    char name[8];
    services_table_name_by_port(*t, 1, nullptr, name, sizeof name);
    services_table_release(t);
  }
}

TEST(ServicesFile, CachedAndReread) {
  char path[] = "/tmp/aresolv-services-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "x 1/tcp\n", 8), 8);
  close(fd);
  uint16_t port = 0;
  EXPECT_EQ(services_port_by_name(path, "x", "tcp", &port), Status::kSuccess);
  EXPECT_EQ(port, 1);
  std::string tmp = std::string(path) + ".new";
  FILE* f = fopen(tmp.c_str(), "w");
  fputs("x 2/tcp\n", f);
  fclose(f);
  ASSERT_EQ(rename(tmp.c_str(), path), 0);
  EXPECT_EQ(services_port_by_name(path, "x", "tcp", &port), Status::kSuccess);
  EXPECT_EQ(port, 2);
  char name[16];
  EXPECT_EQ(services_name_by_port(path, 2, nullptr, name, sizeof name), Status::kSuccess);
  EXPECT_STREQ(name, "x");
  EXPECT_EQ(services_name_by_port(path, 3, nullptr, name, sizeof name), Status::kNotFound);
  unlink(path);
  EXPECT_EQ(services_port_by_name(path, "x", "tcp", &port), Status::kUnavail);
}

}  // namespace
}  // namespace aresolv
