#include "resolver/dns_answer.h"

#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver/base.h"
#include "resolver/dns.h"

namespace aresolv {
namespace {

uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t get32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

int rdata_length_for(int type) {
  if (type == kDnsTypeA) return 4;
  if (type == kDnsTypeAAAA) return 16;
  return -1;
}

struct Record {
  uint8_t owner[kMaxWireName];
  uint16_t type;
  uint16_t cls;
  uint32_t ttl;
  uint16_t rdlength;
  const uint8_t* rdata;
};

// ns_rr_cursor: the header and the single question, then one record at a time.
struct Cursor {
  const uint8_t* begin;
  const uint8_t* end;
  const uint8_t* current;
  const uint8_t* qname;  // uncompressed, inside the packet

  bool init(const uint8_t* packet, int len) {
    begin = packet;
    end = packet + (len > 0 ? len : 0);
    if (len < kDnsHeaderSize || packet[4] != 0 || packet[5] != 1) return false;
    current = packet + kDnsHeaderSize;
    int n = dns_question_name_length(current, end);
    if (n < 0) return false;
    qname = current;
    current += n;
    if (end - current < 4) return false;
    current += 4;
    return true;
  }
  int rcode() const { return begin[3] & 0x0f; }
  int ancount() const { return get16(begin + 6); }
  int qtype() const { return get16(qname + dns_question_name_length(qname, end)); }

  bool next(Record* rr) {
    int n = dns_unpack_name(begin, end, current, rr->owner);
    if (n < 0) return false;
    current += n;
    if (end - current < 10) return false;
    rr->type = get16(current);
    rr->cls = get16(current + 2);
    rr->ttl = get32(current + 4);
    rr->rdlength = get16(current + 8);
    current += 10;
    if (end - current < rr->rdlength) return false;
    rr->rdata = current;
    current += rr->rdlength;
    return true;
  }
};

void lower_ttl(uint32_t* ttl, uint32_t record_ttl) {
  if (*ttl > record_ttl) *ttl = record_ttl;
}

// Both parsers keep a TTL that starts at INT32_MAX, as nscd's callers do.
constexpr uint32_t kInitialTtl = 0x7fffffff;

Address address_from(const Record& rr) {
  Address a;
  memset(&a, 0, sizeof a);
  a.family = rr.rdlength == 4 ? AF_INET : AF_INET6;
  memcpy(a.bytes, rr.rdata, rr.rdlength);
  return a;
}

// gaih_getanswer_slice.
NssStatus parse_slice(const uint8_t* packet, int len, NameResult* out, uint32_t* ttl,
                      bool* store_canon, int* h_errno_out) {
  Cursor c;
  if (!c.init(packet, len)) {
    *h_errno_out = NO_RECOVERY;
    return NssStatus::kUnavail;
  }
  int qtype = c.qtype();
  int ancount = c.ancount();
  // The expected owner and the canonical name candidate, both as positions
  // of possibly compressed names in the packet (or the qname).
  uint8_t expected[kMaxWireName];
  memcpy(expected, c.qname, static_cast<size_t>(dns_question_name_length(c.qname, c.end)));
  const uint8_t* canon_source = c.qname;
  if (ancount == 0 || !dns_binary_hnok(c.qname)) {
    *h_errno_out = HOST_NOT_FOUND;
    return NssStatus::kNotFound;
  }
  bool have_answer = false;
  Record rr;
  for (; ancount > 0; --ancount) {
    if (!c.next(&rr)) {
      *h_errno_out = NO_RECOVERY;
      return NssStatus::kUnavail;
    }
    if (rr.type == kDnsTypeCname || rr.type == qtype) lower_ttl(ttl, rr.ttl);
    if (rr.type == kDnsTypeCname) {
      uint8_t target[kMaxWireName];
      if (dns_unpack_name(c.begin, c.end, rr.rdata, target) < 0) {
        *h_errno_out = NO_RECOVERY;
        return NssStatus::kUnavail;
      }
      memcpy(expected, target, sizeof target);
      if (*store_canon && dns_binary_hnok(target)) canon_source = rr.rdata;
    } else if (rr.type == qtype && dns_same_name(rr.owner, expected) &&
               rr.rdlength == rdata_length_for(qtype)) {
      if (*store_canon) {
        // glibc converts the name current at the first address; a name
        // that cannot be expanded leaves the canonical name unset.
        uint8_t wire[kMaxWireName];
        if (dns_unpack_name(c.begin, c.end, canon_source, wire) < 0 ||
            !dns_wire_to_text(wire, out->canonical_name, sizeof out->canonical_name))
          out->canonical_name[0] = '\0';
        *store_canon = false;
      }
      out->add(address_from(rr));
      have_answer = true;
    }
  }
  if (have_answer) {
    *h_errno_out = NETDB_SUCCESS;
    return NssStatus::kSuccess;
  }
  *h_errno_out = HOST_NOT_FOUND;  // e.g. only a CNAME
  return NssStatus::kNotFound;
}

bool store_alias(const uint8_t* wire, HostentAnswer* out) {
  if (!dns_binary_hnok(wire)) return false;
  char text[kMaxNameLength + 1];
  if (!dns_wire_to_text(wire, text, sizeof text)) return false;
  if (out->alias_count >= kMaxAliases) {
    // Keep the newest name: the last one becomes h_name.
    memmove(out->aliases[1], out->aliases[2], sizeof out->aliases[0] * (kMaxAliases - 2));
    out->alias_count = kMaxAliases - 1;
    out->aliases_truncated = true;
  }
  copy_string(out->aliases[out->alias_count++], kMaxNameLength, text);
  return true;
}

}  // namespace

int dns_question_name_length(const uint8_t* p, const uint8_t* end) {
  const uint8_t* start = p;
  int total = 0;
  for (;;) {
    if (p >= end) return -1;
    uint8_t label = *p;
    if (label == 0) break;
    if (label > 63) return -1;
    total += label + 1;
    if (total >= kMaxWireName) return -1;
    if (end - p < 1 + label) return -1;
    p += 1 + label;
  }
  return static_cast<int>(p + 1 - start);
}

bool dns_same_name(const uint8_t* a, const uint8_t* b) {
  auto upper = [](uint8_t c) -> uint8_t { return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c; };
  while (*a != 0 && *b != 0) {
    if (*a != *b) return false;
    int len = *a;
    ++a;
    ++b;
    for (int i = 0; i < len; ++i, ++a, ++b)
      if (*a != *b && upper(*a) != upper(*b)) return false;
  }
  return *a == 0 && *b == 0;
}

int dns_unpack_name(const uint8_t* msg, const uint8_t* end, const uint8_t* src, uint8_t* dst) {
  if (src < msg || src >= end) return -1;
  const long message_length = end - msg;
  const uint8_t* p = src;
  int consumed = -1;
  int out = 0;
  long checked = 0;
  for (;;) {
    if (p >= end) return -1;
    uint8_t n = *p++;
    if (n == 0) break;
    switch (n & 0xc0) {
      case 0:
        if (n + 1 >= kMaxWireName - out || n >= end - p) return -1;
        checked += n + 1;
        dst[out++] = n;
        memcpy(dst + out, p, n);
        out += n;
        p += n;
        break;
      case 0xc0: {
        if (p >= end) return -1;
        if (consumed < 0) consumed = static_cast<int>(p - src + 1);
        int target = ((n & 0x3f) << 8) | *p;
        if (target >= message_length) return -1;
        p = msg + target;
        checked += 2;
        if (checked >= message_length) return -1;  // a loop
        break;
      }
      default:
        return -1;  // 0x40 and 0x80 label types
    }
  }
  dst[out] = 0;
  if (consumed < 0) consumed = static_cast<int>(p - src);
  return consumed;
}

bool dns_binary_hnok(const uint8_t* wire) {
  if (wire[0] > 0 && wire[1] == '-') return false;
  while (*wire != 0) {
    int len = *wire++;
    for (int i = 0; i < len; ++i, ++wire) {
      uint8_t ch = *wire;
      bool ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                ch == '-' || ch == '_';
      if (!ok) return false;
    }
  }
  return true;
}

bool dns_text_to_wire(const char* text, uint8_t* out, size_t size) {
  size_t n = 0;
  size_t label_start = 0;
  auto begin_label = [&]() {
    if (n >= size) return false;
    label_start = n;
    out[n++] = 0;
    return true;
  };
  if (!begin_label()) return false;
  const char* p = text;
  if (p[0] == '.' && p[1] == '\0') return true;  // the root: a single zero byte
  while (*p) {
    uint8_t c = static_cast<uint8_t>(*p++);
    if (c == '.') {
      if (out[label_start] == 0) return false;  // empty label
      if (*p == '\0') break;
      if (!begin_label()) return false;
      continue;
    }
    if (c == '\\') {
      if (*p == '\0') return false;
      if (p[0] >= '0' && p[0] <= '9') {
        if (!(p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')) return false;
        int v = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
        if (v > 255) return false;
        c = static_cast<uint8_t>(v);
        p += 3;
      } else {
        c = static_cast<uint8_t>(*p++);
      }
    }
    if (out[label_start] >= 63) return false;
    if (n >= size) return false;
    out[n++] = c;
    out[label_start]++;
  }
  if (out[label_start] != 0) {
    if (n >= size) return false;
    out[n++] = 0;
  }
  return n <= static_cast<size_t>(kMaxWireName);
}

bool dns_text_hnok(const char* name) {
  for (const char* p = name; *p; ++p)
    if (*p <= ' ' || *p > '~') return false;
  uint8_t wire[kMaxWireName + 1];
  return dns_text_to_wire(name, wire, sizeof wire) && dns_binary_hnok(wire);
}

bool dns_wire_to_text(const uint8_t* wire, char* out, size_t out_size) {
  size_t n = 0;
  if (*wire == 0) return copy_string(out, out_size, ".");
  while (*wire != 0) {
    int len = *wire++;
    if (n != 0) {
      if (n + 1 >= out_size) return false;
      out[n++] = '.';
    }
    if (n + static_cast<size_t>(len) >= out_size) return false;
    memcpy(out + n, wire, static_cast<size_t>(len));
    n += static_cast<size_t>(len);
    wire += len;
  }
  out[n] = '\0';
  return true;
}

NssStatus dns_parse_addrinfo_answer(const uint8_t* packet1, int len1, const uint8_t* packet2,
                                    int len2, NameResult* out, int* h_errno_out) {
  uint32_t ttl = kInitialTtl;
  NssStatus status = NssStatus::kNotFound;
  bool store_canon = true;
  *h_errno_out = HOST_NOT_FOUND;  // left as is by glibc when no packet is parsed
  if (len1 > 0) status = parse_slice(packet1, len1, out, &ttl, &store_canon, h_errno_out);
  if ((status == NssStatus::kSuccess || status == NssStatus::kNotFound) && packet2 != nullptr &&
      len2 > 0) {
    // After a success the canonical name is stored already.
    bool store2 = status != NssStatus::kSuccess;
    NssStatus status2 = parse_slice(packet2, len2, out, &ttl, &store2, h_errno_out);
    if (status != NssStatus::kSuccess && status2 != NssStatus::kNotFound) status = status2;
  }
  out->ttl = out->count > 0 ? ttl : 0;
  return status;
}

NssStatus dns_parse_hostent_answer(const uint8_t* packet, int len, int qtype, HostentAnswer* out,
                                   int* h_errno_out) {
  Cursor c;
  out->result.count = 0;
  out->result.truncated = false;
  out->result.canonical_name[0] = '\0';
  out->result.ttl = 0;
  out->alias_count = 0;
  out->aliases_truncated = false;
  if (!c.init(packet, len)) {
    *h_errno_out = NO_RECOVERY;
    return NssStatus::kUnavail;
  }
  if (c.rcode() == kRcodeNxDomain || !store_alias(c.qname, out)) {
    *h_errno_out = HOST_NOT_FOUND;
    return NssStatus::kNotFound;
  }
  uint32_t ttl = kInitialTtl;
  int ancount = c.ancount();
  uint8_t expected[kMaxWireName];
  memcpy(expected, c.qname, static_cast<size_t>(dns_question_name_length(c.qname, c.end)));
  Record rr;
  for (; ancount > 0; --ancount) {
    if (!c.next(&rr)) {
      *h_errno_out = NO_RECOVERY;
      return NssStatus::kUnavail;
    }
    if (rr.cls != kDnsClassIn) continue;
    if (rr.type == kDnsTypeCname || rr.type == qtype) lower_ttl(&ttl, rr.ttl);
    if (rr.type == kDnsTypeCname) {
      uint8_t target[kMaxWireName];
      if (dns_unpack_name(c.begin, c.end, rr.rdata, target) < 0) {
        *h_errno_out = NO_RECOVERY;
        return NssStatus::kUnavail;
      }
      store_alias(target, out);
      memcpy(expected, target, sizeof target);
    } else if (rr.type == qtype && dns_same_name(rr.owner, expected) &&
               rr.rdlength == rdata_length_for(qtype)) {
      out->result.add(address_from(rr));
    }
  }
  if (out->result.count == 0) {
    *h_errno_out = NO_RECOVERY;
    return NssStatus::kTryAgain;
  }
  // The last name of the chain is h_name, the others are h_aliases.
  --out->alias_count;
  copy_string(out->result.canonical_name, sizeof out->result.canonical_name,
              out->aliases[out->alias_count]);
  out->result.ttl = ttl;
  *h_errno_out = NETDB_SUCCESS;
  return NssStatus::kSuccess;
}

}  // namespace aresolv
