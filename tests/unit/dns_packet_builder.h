// Hand-built DNS responses for the dns_* unit tests.
#pragma once

#include <arpa/inet.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace dns_test {

inline void put16(std::vector<uint8_t>& p, int v) {
  p.push_back(static_cast<uint8_t>(v >> 8));
  p.push_back(static_cast<uint8_t>(v));
}
inline void put32(std::vector<uint8_t>& p, uint32_t v) {
  put16(p, static_cast<int>(v >> 16));
  put16(p, static_cast<int>(v & 0xffff));
}
inline void put_name(std::vector<uint8_t>& p, const std::string& name) {
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    p.push_back(static_cast<uint8_t>(dot - start));
    p.insert(p.end(), name.begin() + start, name.begin() + dot);
    start = dot + 1;
  }
  p.push_back(0);
}

class Packet {
 public:
  Packet(const std::string& qname, int qtype, int rcode = 0, int flags = 0x8180) {
    put16(bytes, 0x1234);
    put16(bytes, flags | rcode);
    put16(bytes, 1);
    put16(bytes, 0);
    put16(bytes, 0);
    put16(bytes, 0);
    put_name(bytes, qname);
    put16(bytes, qtype);
    put16(bytes, 1);
  }
  // Owner given as a name, or as a compression pointer when owner_ptr >= 0.
  Packet& rr(const std::string& owner, int type, uint32_t ttl, const std::vector<uint8_t>& rdata,
             int cls = 1, int owner_ptr = -1) {
    if (owner_ptr >= 0) {
      put16(bytes, 0xc000 | owner_ptr);
    } else {
      put_name(bytes, owner);
    }
    put16(bytes, type);
    put16(bytes, cls);
    put32(bytes, ttl);
    put16(bytes, static_cast<int>(rdata.size()));
    bytes.insert(bytes.end(), rdata.begin(), rdata.end());
    int an = (bytes[6] << 8 | bytes[7]) + 1;
    bytes[6] = static_cast<uint8_t>(an >> 8);
    bytes[7] = static_cast<uint8_t>(an);
    return *this;
  }
  Packet& a(const std::string& owner, const char* addr, uint32_t ttl = 300, int owner_ptr = -1) {
    uint8_t b[4];
    inet_pton(AF_INET, addr, b);
    return rr(owner, 1, ttl, std::vector<uint8_t>(b, b + 4), 1, owner_ptr);
  }
  Packet& aaaa(const std::string& owner, const char* addr, uint32_t ttl = 300) {
    uint8_t b[16];
    inet_pton(AF_INET6, addr, b);
    return rr(owner, 28, ttl, std::vector<uint8_t>(b, b + 16));
  }
  Packet& cname(const std::string& owner, const std::string& target, uint32_t ttl = 300) {
    std::vector<uint8_t> rd;
    put_name(rd, target);
    return rr(owner, 5, ttl, rd);
  }
  std::vector<uint8_t> bytes;
};

}  // namespace dns_test
