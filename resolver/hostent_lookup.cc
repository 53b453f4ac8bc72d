// See hostent_lookup.h. The structure follows glibc's on purpose: the point
// at which a caller's buffer is too small, and which h_errno/errno come out
// of each failure, are only right when the same steps happen in the same
// order on the same buffer.
#include "resolver/hostent_lookup.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <new>

#include "resolver/alloc_buffer.h"
#include "resolver/base.h"
#include "resolver/config.h"
#include "resolver/dns_answer.h"
#include "resolver/dns_search.h"
#include "resolver/dns_transport.h"
#include "resolver/stats.h"

namespace aresolv {
namespace {

constexpr int kTypeA = 1;
constexpr int kTypeCname = 5;
constexpr int kTypePtr = 12;
constexpr int kTypeAAAA = 28;
constexpr int kClassIn = 1;
constexpr int kHostNameBuffer = 65;  // MAXHOSTNAMELEN + 1: nss_dns's limit for names it reports
constexpr size_t kDnsAnswerBuffer = 65536;

// The buffer one DNS answer is read into, hung on `answers`; nullptr (with
// errno and h_errno set as nss_dns sets them) when memory ran out.
MallocPtr<uint8_t> answer_buffer(DnsAnswers *answers, int *h_errnop) {
  MallocPtr<uint8_t> packet(static_cast<uint8_t *>(malloc(kDnsAnswerBuffer)));
  if (!packet) {
    errno = ENOMEM;
    *h_errnop = NETDB_INTERNAL;
    return packet;
  }
  answers->answer1 = packet.get();
  answers->size1 = static_cast<int>(kDnsAnswerBuffer);
  return packet;
}

// A growable array of pointers (glibc's dynarray/ptrlist): failure is sticky.
class PointerList {
 public:
  PointerList() = default;
  PointerList(const PointerList &) = delete;
  PointerList &operator=(const PointerList &) = delete;
  ~PointerList() { free(items_); }

  void add(char *p) {
    if (failed_) return;
    if (size_ == capacity_) {
      size_t grown = capacity_ ? capacity_ * 2 : 16;
      char **items = static_cast<char **>(realloc(items_, grown * sizeof(char *)));
      if (!items) {
        failed_ = true;
        return;
      }
      items_ = items;
      capacity_ = grown;
    }
    items_[size_++] = p;
  }
  bool failed() const { return failed_; }
  size_t size() const { return size_; }
  char **begin() const { return items_; }

 private:
  char **items_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool failed_ = false;
};

bool c_isspace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// ---- nss_files --------------------------------------------------------------

// struct hostent_data of files-hosts.c: the parsed address and its list.
struct HostentData {
  unsigned char host_addr[16];
  char *h_addr_ptrs[2];
};

// __nss_readline: the next non-empty, non-comment line, leading blanks removed
// with memmove (which, as in glibc, does not move the terminating NUL).
int read_line(FILE *fp, char *buf, size_t len, off_t *offset) {
  if (len < 3) {
    *offset = -1;
    errno = ERANGE;
    return ERANGE;
  }
  int n = len > INT32_MAX ? INT32_MAX : static_cast<int>(len);
  for (;;) {
    *offset = ftello(fp);
    buf[n - 1] = '\xff';
    if (fgets_unlocked(buf, n, fp) == nullptr) {
      if (feof_unlocked(fp)) {
        errno = ENOENT;
        return ENOENT;
      }
      if (errno == ERANGE) errno = EINVAL;
      return errno;
    }
    if (buf[n - 1] != '\xff') {
      if (*offset < 0 || fseeko(fp, *offset, SEEK_SET) < 0) {
        errno = ESPIPE;
        return ESPIPE;
      }
      errno = ERANGE;
      return ERANGE;
    }
    char *p = buf;
    while (c_isspace(*p)) ++p;
    if (*p == '\0' || *p == '#') continue;
    if (p != buf) memmove(buf, p, strlen(p));
    return 0;
  }
}

char *string_field(char **linep) {
  char *start = *linep;
  char *line = start;
  while (*line != '\0' && !c_isspace(*line)) ++line;
  if (*line != '\0') {
    *line = '\0';
    do ++line;
    while (c_isspace(*line));
  }
  *linep = line;
  return start;
}

// files-parse.c's parse_list for the alias list, with its pointer vector
// placed at the first pointer-aligned address after the line.
char **parse_alias_list(char **linep, char *eol, char *buf_end) {
  char *line = *linep;
  uintptr_t aligned = (reinterpret_cast<uintptr_t>(eol) + alignof(char *) - 1) &
                      ~static_cast<uintptr_t>(alignof(char *) - 1);
  char **list = reinterpret_cast<char **>(aligned);
  char **p = list;
  for (;;) {
    if (reinterpret_cast<char *>(p + 2) > buf_end) {
      errno = ERANGE;
      return nullptr;
    }
    if (*line == '\0') break;
    while (c_isspace(*line)) ++line;
    char *element = line;
    for (;;) {
      if (*line == '\0' || c_isspace(*line)) {
        if (line > element) *p++ = element;
        if (*line != '\0') *line++ = '\0';
        break;
      }
      ++line;
    }
  }
  *p = nullptr;
  *linep = line;
  return list;
}

// files-hosts.c's line parser: 1 parsed, 0 line ignored, -1 out of room.
int parse_hosts_line(char *line, struct hostent *result, HostentData *data, size_t datalen,
                     int af) {
  char *buf_end = reinterpret_cast<char *>(data) + datalen;
  char *buf_start = strchr(line, '\0') + 1;
  char *cut = strpbrk(line, "#\n");
  if (cut) *cut = '\0';

  char *addr = string_field(&line);
  if (inet_pton(af == AF_UNSPEC ? AF_INET : af, addr, data->host_addr) > 0) {
    af = af == AF_UNSPEC ? AF_INET : af;
  } else if (af == AF_INET && inet_pton(AF_INET6, addr, data->host_addr) > 0) {
    const struct in6_addr *a6 = reinterpret_cast<const struct in6_addr *>(data->host_addr);
    if (IN6_IS_ADDR_V4MAPPED(a6)) {
      memmove(data->host_addr, data->host_addr + 12, 4);
    } else if (IN6_IS_ADDR_LOOPBACK(a6)) {
      in_addr_t loopback = htonl(INADDR_LOOPBACK);
      memcpy(data->host_addr, &loopback, sizeof loopback);
    } else {
      return 0;
    }
  } else if (af == AF_UNSPEC && inet_pton(AF_INET6, addr, data->host_addr) > 0) {
    af = AF_INET6;
  } else {
    return 0;
  }
  result->h_addrtype = af;
  result->h_length = af == AF_INET ? 4 : 16;
  data->h_addr_ptrs[0] = reinterpret_cast<char *>(data->host_addr);
  data->h_addr_ptrs[1] = nullptr;
  result->h_addr_list = data->h_addr_ptrs;
  result->h_name = string_field(&line);
  char **aliases = parse_alias_list(&line, buf_start, buf_end);
  if (!aliases) return -1;
  result->h_aliases = aliases;
  return 1;
}

// files-XXX.c's internal_getent: the line itself lives in the buffer, right
// after the struct hostent_data.
HostNssStatus files_getent(FILE *fp, struct hostent *result, char *buffer, size_t buflen,
                           int *h_errnop, int af) {
  HostentData *data = reinterpret_cast<HostentData *>(buffer);
  int saved_errno = errno;
  if (buflen < sizeof(HostentData) + 2) {
    errno = ERANGE;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kTryAgain;
  }
  char *linebuffer = buffer + sizeof(HostentData);
  size_t linebuflen = buflen - sizeof(HostentData);
  for (;;) {
    off_t offset;
    int ret = read_line(fp, linebuffer, linebuflen, &offset);
    if (ret == ENOENT) {
      *h_errnop = HOST_NOT_FOUND;
      errno = saved_errno;
      return HostNssStatus::kNotFound;
    }
    if (ret == 0) {
      int parsed = parse_hosts_line(linebuffer, result, data, buflen, af);
      if (parsed == 1) {
        errno = saved_errno;
        return HostNssStatus::kSuccess;
      }
      if (parsed == 0) continue;
      if (offset < 0 || fseeko(fp, offset, SEEK_SET) < 0) {
        ret = ESPIPE;
      } else {
        ret = ERANGE;
      }
    }
    errno = ret;
    *h_errnop = NETDB_INTERNAL;
    return ret == ERANGE ? HostNssStatus::kTryAgain : HostNssStatus::kUnavail;
  }
}

bool entry_matches(const char *name, const struct hostent *entry) {
  if (strcasecmp(name, entry->h_name) == 0) return true;
  for (char **ap = entry->h_aliases; *ap; ++ap)
    if (strcasecmp(name, *ap) == 0) return true;
  return false;
}

HostNssStatus open_hosts(const char *path, FILE **fp) {
  *fp = fopen(path, "rce");
  if (*fp == nullptr) return errno == EAGAIN ? HostNssStatus::kTryAgain : HostNssStatus::kUnavail;
  __fsetlocking(*fp, FSETLOCKING_BYCALLER);
  return HostNssStatus::kSuccess;
}

void close_hosts(FILE *fp) {
  int saved = errno;
  fclose(fp);
  errno = saved;
}

// gethostbyname3_multi: the later matching lines are read into a scratch
// buffer; their addresses and names go after the first line's data, where
// the first line's alias vector was.
HostNssStatus files_multi(FILE *fp, const char *name, int af, struct hostent *result, char *buffer,
                          size_t buflen, int *h_errnop) {
  size_t scratch_size = 1024;
  MallocPtr<char> scratch(static_cast<char *>(malloc(scratch_size)));
  PointerList addresses;
  PointerList aliases;
  for (size_t i = 0; result->h_addr_list[i]; ++i) addresses.add(result->h_addr_list[i]);
  for (size_t i = 0; result->h_aliases[i]; ++i) aliases.add(result->h_aliases[i]);

  char *out_start = reinterpret_cast<char *>(result->h_aliases);
  AllocBuffer out(out_start, static_cast<size_t>(buffer + buflen - out_start));
  HostNssStatus status = HostNssStatus::kSuccess;
  if (!scratch) {
    errno = ENOMEM;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kUnavail;
  }
  for (;;) {
    struct hostent line;
    status = files_getent(fp, &line, scratch.get(), scratch_size, h_errnop, af);
    if (status == HostNssStatus::kTryAgain && *h_errnop == NETDB_INTERNAL && errno == ERANGE) {
      scratch.reset();
      scratch_size *= 2;
      scratch.reset(static_cast<char *>(malloc(scratch_size)));
      if (!scratch) {
        errno = ENOMEM;
        break;
      }
      continue;
    }
    if (status != HostNssStatus::kSuccess) break;
    if (!entry_matches(name, &line)) continue;
    for (size_t i = 0; line.h_addr_list[i]; ++i) {
      size_t size = af == AF_INET ? 4 : 16;
      char *target = static_cast<char *>(out.allocate(size, 4));
      if (!target) {
        errno = ERANGE;
        *h_errnop = NETDB_INTERNAL;
        status = HostNssStatus::kTryAgain;
        break;
      }
      memcpy(target, line.h_addr_list[i], size);
      addresses.add(target);
    }
    for (size_t i = 0; line.h_aliases[i]; ++i) aliases.add(out.copy_string(line.h_aliases[i]));
    if (strcmp(result->h_name, line.h_name) != 0) aliases.add(out.copy_string(line.h_name));
    if (addresses.failed() || aliases.failed()) {
      errno = ENOMEM;
      *h_errnop = NETDB_INTERNAL;
      status = HostNssStatus::kUnavail;
      break;
    }
    if (out.failed()) {
      errno = ERANGE;
      *h_errnop = NETDB_INTERNAL;
      status = HostNssStatus::kTryAgain;
      break;
    }
  }
  if (status != HostNssStatus::kTryAgain) status = HostNssStatus::kSuccess;
  if (status == HostNssStatus::kSuccess) {
    char **out_addresses = out.allocate_pointers(addresses.size() + 1);
    char **out_aliases = out.allocate_pointers(aliases.size() + 1);
    if (!out_addresses || !out_aliases) {
      errno = ERANGE;
      *h_errnop = NETDB_INTERNAL;
      return HostNssStatus::kTryAgain;
    }
    // An empty list has no storage (begin() is null): memcpy must not see it.
    for (size_t i = 0; i < addresses.size(); ++i) out_addresses[i] = addresses.begin()[i];
    out_addresses[addresses.size()] = nullptr;
    for (size_t i = 0; i < aliases.size(); ++i) out_aliases[i] = aliases.begin()[i];
    out_aliases[aliases.size()] = nullptr;
    result->h_addr_list = out_addresses;
    result->h_aliases = out_aliases;
  }
  return status;
}

// ---- DNS wire format --------------------------------------------------------

// ns_name_ntop into a buffer of `size` bytes; false when it does not fit.
bool name_to_text(const unsigned char *wire, char *out, size_t size) {
  size_t n = 0;
  auto put = [&](char c) {
    if (n + 1 >= size) return false;
    out[n++] = c;
    return true;
  };
  const unsigned char *p = wire;
  bool first = true;
  while (*p) {
    unsigned len = *p++;
    if (!first && !put('.')) return false;
    first = false;
    for (unsigned i = 0; i < len; ++i) {
      unsigned char c = *p++;
      if (strchr("\".;\\()@$", c) && c != 0) {
        if (!put('\\') || !put(static_cast<char>(c))) return false;
      } else if (c > 0x20 && c < 0x7f) {
        if (!put(static_cast<char>(c))) return false;
      } else {
        if (!put('\\') || !put(static_cast<char>('0' + c / 100)) ||
            !put(static_cast<char>('0' + c / 10 % 10)) || !put(static_cast<char>('0' + c % 10)))
          return false;
      }
    }
  }
  if (first && !put('.')) return false;
  if (n >= size) return false;
  out[n] = '\0';
  return true;
}

struct Cursor {
  const unsigned char *begin;
  const unsigned char *end;
  const unsigned char *current;
  const unsigned char *qname;
};

struct WireRecord {
  unsigned char rname[kMaxWireName];
  int type;
  int cls;
  uint32_t ttl;
  int rdlength;
  const unsigned char *rdata;
};

bool cursor_init(Cursor *c, const unsigned char *packet, size_t length) {
  c->begin = packet;
  c->end = packet + length;
  if (length < 12) return false;
  if (((packet[4] << 8) | packet[5]) != 1) return false;
  c->current = packet + 12;
  int qlen = dns_question_name_length(c->current, c->end);
  if (qlen < 0) return false;
  c->qname = c->current;
  if (c->end - c->current < qlen + 4) return false;
  c->current += qlen + 4;
  return true;
}

int cursor_rcode(const Cursor &c) { return c.begin[3] & 0x0f; }
int cursor_ancount(const Cursor &c) { return (c.begin[6] << 8) | c.begin[7]; }

bool cursor_next(Cursor *c, WireRecord *rr) {
  int n = dns_unpack_name(c->begin, c->end, c->current, rr->rname);
  if (n < 0) return false;
  c->current += n;
  if (c->end - c->current < 10) return false;
  const unsigned char *p = c->current;
  rr->type = (p[0] << 8) | p[1];
  rr->cls = (p[2] << 8) | p[3];
  rr->ttl = (uint32_t(p[4]) << 24) | (uint32_t(p[5]) << 16) | (uint32_t(p[6]) << 8) | p[7];
  rr->rdlength = (p[8] << 8) | p[9];
  c->current += 10;
  if (c->end - c->current < rr->rdlength) return false;
  rr->rdata = c->current;
  c->current += rr->rdlength;
  return true;
}

bool store_alias(const unsigned char *wire, AllocBuffer *buffer, PointerList *aliases) {
  if (!dns_binary_hnok(wire)) return false;
  char text[kHostNameBuffer];
  if (!name_to_text(wire, text, sizeof text)) return false;
  aliases->add(buffer->copy_string(text));
  return true;
}

// nss_dns's getanswer_r (release/2.36 branch).
HostNssStatus parse_address_answer(const unsigned char *packet, size_t length, int qtype,
                                   AllocBuffer *buffer, PointerList *addresses,
                                   PointerList *aliases, int *h_errnop) {
  Cursor c;
  if (!cursor_init(&c, packet, length)) {
    *h_errnop = NO_RECOVERY;
    return HostNssStatus::kUnavail;
  }
  if (cursor_rcode(c) == 3 || !store_alias(c.qname, buffer, aliases)) {
    *h_errnop = HOST_NOT_FOUND;
    errno = ENOENT;
    return HostNssStatus::kNotFound;
  }
  int expected_length = qtype == kTypeA ? 4 : 16;
  const unsigned char *expected = c.qname;
  unsigned char name_buffer[kMaxWireName];
  for (int ancount = cursor_ancount(c); ancount > 0; --ancount) {
    WireRecord rr;
    if (!cursor_next(&c, &rr)) {
      *h_errnop = NO_RECOVERY;
      return HostNssStatus::kUnavail;
    }
    if (rr.cls != kClassIn) continue;
    if (rr.type == kTypeCname) {
      if (dns_unpack_name(c.begin, c.end, rr.rdata, name_buffer) < 0) {
        *h_errnop = NO_RECOVERY;
        return HostNssStatus::kUnavail;
      }
      store_alias(name_buffer, buffer, aliases);
      expected = name_buffer;
    } else if (rr.type == qtype && dns_same_name(rr.rname, expected) &&
               rr.rdlength == expected_length) {
      addresses->add(buffer->next(4));
      buffer->copy_bytes(rr.rdata, rr.rdlength);
    }
  }
  if (addresses->size() == 0) {
    *h_errnop = NO_RECOVERY;
    errno = ENOENT;
    return HostNssStatus::kTryAgain;
  }
  *h_errnop = NETDB_SUCCESS;
  return HostNssStatus::kSuccess;
}

// nss_dns's getanswer_ptr (release/2.36 branch). Its record loop never
// counts down, so an answer without a usable PTR record ends when the
// records run out, as NO_RECOVERY/UNAVAIL.
HostNssStatus parse_ptr_answer(const unsigned char *packet, size_t length, AllocBuffer *buffer,
                               char **h_name, int *h_errnop) {
  Cursor c;
  if (!cursor_init(&c, packet, length)) {
    *h_errnop = NO_RECOVERY;
    return HostNssStatus::kUnavail;
  }
  int ancount = cursor_ancount(c);
  const unsigned char *expected = c.qname;
  unsigned char name_buffer[kMaxWireName];
  while (ancount > 0) {
    WireRecord rr;
    if (!cursor_next(&c, &rr)) {
      *h_errnop = NO_RECOVERY;
      return HostNssStatus::kUnavail;
    }
    if (rr.cls != kClassIn) continue;
    if (rr.type == kTypeCname) {
      if (dns_unpack_name(c.begin, c.end, rr.rdata, name_buffer) < 0) {
        *h_errnop = NO_RECOVERY;
        return HostNssStatus::kUnavail;
      }
      expected = name_buffer;
    } else if (rr.type == kTypePtr && dns_same_name(rr.rname, expected)) {
      char text[kHostNameBuffer];
      if (dns_unpack_name(c.begin, c.end, rr.rdata, name_buffer) < 0 ||
          !dns_binary_hnok(expected) || !name_to_text(name_buffer, text, sizeof text)) {
        *h_errnop = NO_RECOVERY;
        return HostNssStatus::kUnavail;
      }
      *h_name = buffer->copy_string(text);
      return HostNssStatus::kSuccess;
    }
  }
  *h_errnop = NO_RECOVERY;
  errno = ENOENT;
  return HostNssStatus::kTryAgain;
}

HostNssStatus fill_from_address_answer(const unsigned char *packet, size_t length, int qtype,
                                       struct hostent *result, char *buffer, size_t buflen,
                                       int *h_errnop) {
  AllocBuffer out(buffer, buflen);
  PointerList addresses;
  PointerList aliases;
  HostNssStatus status =
      parse_address_answer(packet, length, qtype, &out, &addresses, &aliases, h_errnop);
  if (status != HostNssStatus::kSuccess) return status;
  if (addresses.failed() || aliases.failed()) {
    errno = ENOMEM;
    *h_errnop = NETDB_INTERNAL;
    status = HostNssStatus::kUnavail;
  }
  char **address_list = out.allocate_pointers(addresses.size() + 1);
  char **alias_list = out.allocate_pointers(aliases.size());
  if (out.failed()) {
    errno = ERANGE;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kTryAgain;
  }
  if (status != HostNssStatus::kSuccess) return status;
  memcpy(address_list, addresses.begin(), addresses.size() * sizeof(char *));
  address_list[addresses.size()] = nullptr;
  memcpy(alias_list, aliases.begin(), (aliases.size() - 1) * sizeof(char *));
  alias_list[aliases.size() - 1] = nullptr;
  result->h_addr_list = address_list;
  result->h_aliases = alias_list;
  result->h_name = aliases.begin()[aliases.size() - 1];
  return HostNssStatus::kSuccess;
}

// _nss_dns_gethostbyname3_r's gethostbyname3_context.
HostNssStatus dns_gethostbyname3(const ResolvConf &conf, const char *name, int af,
                                 struct hostent *result, char *buffer, size_t buflen,
                                 int *h_errnop) {
  int saved_errno = errno;
  int type;
  switch (af) {
    case AF_INET:
      type = kTypeA;
      break;
    case AF_INET6:
      type = kTypeAAAA;
      break;
    default:
      *h_errnop = NO_DATA;
      errno = EAFNOSUPPORT;
      return HostNssStatus::kUnavail;
  }
  result->h_addrtype = af;
  result->h_length = af == AF_INET ? 4 : 16;

  DnsAnswers answers;
  MallocPtr<uint8_t> packet = answer_buffer(&answers, h_errnop);
  if (!packet) return HostNssStatus::kUnavail;
  DnsOutcome outcome;
  int n = dns_context_search(default_dns_transport(), conf, name, kClassIn, type,
                             dns_edns_payload_for_buffer(1024), &answers, &outcome);
  // res_search leaves the global h_errno behind as well: HOST_NOT_FOUND
  // ("never queried") when it succeeds. Callers of gethostbyname see it.
  h_errno = n >= 0 ? HOST_NOT_FOUND : outcome.h_errno_value;
  if (n < 0) {
    HostNssStatus status;
    int h = outcome.h_errno_value;
    switch (outcome.sys_errno) {
      case ESRCH:
        status = HostNssStatus::kTryAgain;
        h = TRY_AGAIN;
        break;
      case EMFILE:
      case ENFILE:
        h = NETDB_INTERNAL;
        status = HostNssStatus::kUnavail;
        break;
      case ECONNREFUSED:
      case ETIMEDOUT:
        status = HostNssStatus::kUnavail;
        break;
      default:
        status = HostNssStatus::kNotFound;
        break;
    }
    *h_errnop = h;
    errno = h == TRY_AGAIN ? EAGAIN : saved_errno;
    return status;
  }
  if (n > static_cast<int>(kDnsAnswerBuffer)) n = static_cast<int>(kDnsAnswerBuffer);
  return fill_from_address_answer(packet.get(), static_cast<size_t>(n), type, result, buffer,
                                  buflen, h_errnop);
}

// _nss_dns_gethostbyaddr2_r.
HostNssStatus dns_gethostbyaddr(const ResolvConf &conf, const void *addr, socklen_t len, int af,
                                struct hostent *result, char *buffer, size_t buflen,
                                int *h_errnop) {
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char kTunnelled[12] = {0};
  static const unsigned char kV6Local[4] = {0, 0, 0, 1};
  const unsigned char *uaddr = static_cast<const unsigned char *>(addr);
  int saved_errno = errno;
  AllocBuffer out(buffer, buflen);
  char **address_array = out.allocate_pointers(2);
  if (!address_array) {
    errno = ERANGE;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kTryAgain;
  }
  if (af == AF_INET6 && len == 16 &&
      (memcmp(uaddr, kMapped, sizeof kMapped) == 0 ||
       (memcmp(uaddr, kTunnelled, sizeof kTunnelled) == 0 &&
        memcmp(uaddr + sizeof kTunnelled, kV6Local, sizeof kV6Local) != 0))) {
    uaddr += sizeof kMapped;
    af = AF_INET;
    len = 4;
  }
  socklen_t size;
  switch (af) {
    case AF_INET:
      size = 4;
      break;
    case AF_INET6:
      size = 16;
      break;
    default:
      errno = EAFNOSUPPORT;
      *h_errnop = NETDB_INTERNAL;
      return HostNssStatus::kUnavail;
  }
  if (size > len) {
    errno = EAFNOSUPPORT;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kUnavail;
  }
  char qname[80];
  if (af == AF_INET) {
    snprintf(qname, sizeof qname, "%u.%u.%u.%u.in-addr.arpa", uaddr[3], uaddr[2], uaddr[1],
             uaddr[0]);
  } else {
    static const char kNibble[] = "0123456789abcdef";
    char *q = qname;
    for (int i = 15; i >= 0; --i) {
      *q++ = kNibble[uaddr[i] & 0xf];
      *q++ = '.';
      *q++ = kNibble[uaddr[i] >> 4];
      *q++ = '.';
    }
    strcpy(q, "ip6.arpa");
  }
  DnsAnswers answers;
  MallocPtr<uint8_t> packet = answer_buffer(&answers, h_errnop);
  if (!packet) return HostNssStatus::kUnavail;
  DnsOutcome outcome;
  int n = dns_context_query(default_dns_transport(), conf, qname, kClassIn, kTypePtr,
                            dns_edns_payload_for_buffer(1024), &answers, &outcome);
  if (n < 0) {
    h_errno = outcome.h_errno_value;
    *h_errnop = outcome.h_errno_value;
    errno = saved_errno;
    // glibc tests errno after restoring it: the caller's errno decides.
    return errno == ECONNREFUSED ? HostNssStatus::kUnavail : HostNssStatus::kNotFound;
  }
  if (n > static_cast<int>(kDnsAnswerBuffer)) n = static_cast<int>(kDnsAnswerBuffer);
  HostNssStatus status =
      parse_ptr_answer(packet.get(), static_cast<size_t>(n), &out, &result->h_name, h_errnop);
  if (status != HostNssStatus::kSuccess) return status;
  result->h_addrtype = af;
  result->h_length = static_cast<int>(len);
  address_array[0] = out.next(4);
  out.copy_bytes(uaddr, len);
  address_array[1] = nullptr;
  if (out.failed()) {
    errno = ERANGE;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kTryAgain;
  }
  result->h_addr_list = address_array;
  result->h_aliases = &address_array[1];
  *h_errnop = NETDB_SUCCESS;
  return HostNssStatus::kSuccess;
}

int action_index(HostNssStatus status) {
  switch (status) {
    case HostNssStatus::kSuccess:
      return kNssSuccess;
    case HostNssStatus::kNotFound:
      return kNssNotFound;
    case HostNssStatus::kUnavail:
      return kNssUnavail;
    case HostNssStatus::kTryAgain:
      return kNssTryAgain;
  }
  return kNssUnavail;
}

struct ByName {
  const char *name;
  int af;
};
struct ByAddr {
  const void *addr;
  socklen_t len;
  int type;
};

// The end of getXXbyYY_r: the return value, h_errno when no source could be
// used, and errno set to the return value.
int finish(HostNssStatus status, bool any_service, struct hostent *resbuf, struct hostent **result,
           int *h_errnop) {
  *result = status == HostNssStatus::kSuccess ? resbuf : nullptr;
  if (status == HostNssStatus::kUnavail && !any_service && errno != ENOENT)
    *h_errnop = NETDB_INTERNAL;
  else if (status != HostNssStatus::kSuccess && !any_service)
    *h_errnop = NO_RECOVERY;
  int res;
  if (status == HostNssStatus::kSuccess || status == HostNssStatus::kNotFound)
    res = 0;
  else if (errno == ERANGE && status != HostNssStatus::kTryAgain)
    res = EINVAL;
  else if (status == HostNssStatus::kTryAgain && *h_errnop != NETDB_INTERNAL)
    res = EAGAIN;
  else
    return errno;
  errno = res;
  return res;
}

// The source loop of getXXbyYY_r.
template <typename Query, typename Call>
int run_sources(const Query &query, Call call, struct hostent *resbuf, char *buffer, size_t buflen,
                struct hostent **result, int *h_errnop, HostNssStatus status, bool any_service) {
  HostsLookupOrder order;
  current_hosts_order(&order);
  if (order.load_failed) {
    errno = EINVAL;
    return finish(HostNssStatus::kUnavail, false, resbuf, result, h_errnop);
  }
  for (int i = 0; i < order.count; ++i) {
    const SourceEntry &entry = order.sources[i];
    // Modules we never load (and myhostname, whose hostent layout we do not
    // reproduce yet) are passed over as glibc passes over a module it
    // cannot find.
    if (entry.source != HostsSource::kFiles && entry.source != HostsSource::kDns) continue;
    any_service = true;
    status = call(entry.source, query, resbuf, buffer, buflen, h_errnop);
    note_answer_source(entry.source == HostsSource::kFiles ? AnswerSource::kHosts
                                                           : AnswerSource::kDns);
    if (status == HostNssStatus::kTryAgain && *h_errnop == NETDB_INTERNAL && errno == ERANGE) break;
    if (entry.actions[action_index(status)] == NssAction::kReturn) break;
  }
  return finish(status, any_service, resbuf, result, h_errnop);
}

HostNssStatus call_by_name(HostsSource source, const ByName &q, struct hostent *resbuf,
                           char *buffer, size_t buflen, int *h_errnop) {
  if (source == HostsSource::kFiles) {
    const HostConf host_conf = current_host_conf();
    return files_gethostbyname3(settings().hosts_path, host_conf.multi, q.name, q.af, resbuf,
                                buffer, buflen, h_errnop);
  }
  if (!dns_text_hnok(q.name)) {
    *h_errnop = HOST_NOT_FOUND;
    return HostNssStatus::kNotFound;
  }
  MallocPtr<ResolvConf> conf(static_cast<ResolvConf *>(malloc(sizeof(ResolvConf))));
  if (!conf) {
    errno = ENOMEM;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kUnavail;
  }
  new (conf.get()) ResolvConf();
  current_resolv_conf(conf.get());
  return dns_gethostbyname3(*conf.get(), q.name, q.af, resbuf, buffer, buflen, h_errnop);
}

HostNssStatus call_by_addr(HostsSource source, const ByAddr &q, struct hostent *resbuf,
                           char *buffer, size_t buflen, int *h_errnop) {
  if (source == HostsSource::kFiles)
    return files_gethostbyaddr(settings().hosts_path, q.addr, q.len, q.type, resbuf, buffer, buflen,
                               h_errnop);
  MallocPtr<ResolvConf> conf(static_cast<ResolvConf *>(malloc(sizeof(ResolvConf))));
  if (!conf) {
    errno = ENOMEM;
    *h_errnop = NETDB_INTERNAL;
    return HostNssStatus::kUnavail;
  }
  new (conf.get()) ResolvConf();
  current_resolv_conf(conf.get());
  return dns_gethostbyaddr(*conf.get(), q.addr, q.len, q.type, resbuf, buffer, buflen, h_errnop);
}

}  // namespace

HostNssStatus files_gethostbyname3(const char *hosts_path, bool multi, const char *name, int af,
                                   struct hostent *result, char *buffer, size_t buflen,
                                   int *h_errnop) {
  uintptr_t pad = -reinterpret_cast<uintptr_t>(buffer) % alignof(HostentData);
  buffer += pad;
  buflen = buflen > pad ? buflen - pad : 0;
  FILE *fp;
  HostNssStatus status = open_hosts(hosts_path, &fp);
  if (status != HostNssStatus::kSuccess) return status;
  while ((status = files_getent(fp, result, buffer, buflen, h_errnop, af)) ==
         HostNssStatus::kSuccess) {
    if (entry_matches(name, result)) break;
  }
  // glibc asserts AF_INET or AF_INET6 here (gethostbyname2 with AF_UNSPEC
  // aborts there); we answer with the first line instead.
  if (status == HostNssStatus::kSuccess && multi && (af == AF_INET || af == AF_INET6))
    status = files_multi(fp, name, af, result, buffer, buflen, h_errnop);
  close_hosts(fp);
  return status;
}

HostNssStatus files_gethostbyaddr(const char *hosts_path, const void *addr, socklen_t len, int af,
                                  struct hostent *result, char *buffer, size_t buflen,
                                  int *h_errnop) {
  FILE *fp;
  HostNssStatus status = open_hosts(hosts_path, &fp);
  if (status != HostNssStatus::kSuccess) return status;
  while ((status = files_getent(fp, result, buffer, buflen, h_errnop, af)) ==
         HostNssStatus::kSuccess) {
    if (result->h_length == static_cast<int>(len) && memcmp(addr, result->h_addr_list[0], len) == 0)
      break;
  }
  close_hosts(fp);
  return status;
}

HostNssStatus dns_hostent_from_answer(const unsigned char *packet, size_t packet_length, int qtype,
                                      struct hostent *result, char *buffer, size_t buflen,
                                      int *h_errnop) {
  if (qtype == kTypePtr) {
    AllocBuffer out(buffer, buflen);
    HostNssStatus status = parse_ptr_answer(packet, packet_length, &out, &result->h_name, h_errnop);
    if (status == HostNssStatus::kSuccess && out.failed()) {
      errno = ERANGE;
      *h_errnop = NETDB_INTERNAL;
      return HostNssStatus::kTryAgain;
    }
    return status;
  }
  result->h_addrtype = qtype == kTypeA ? AF_INET : AF_INET6;
  result->h_length = qtype == kTypeA ? 4 : 16;
  return fill_from_address_answer(packet, packet_length, qtype, result, buffer, buflen, h_errnop);
}

int hostname_digits_dots(const char *name, struct hostent *resbuf, char **buffer,
                         size_t *buffer_size, size_t buflen, struct hostent **result,
                         HostNssStatus *status, int af, int *h_errnop) {
  unsigned char first = static_cast<unsigned char>(name[0]);
  if (!(isdigit(first) || isxdigit(first) || first == ':')) return 0;
  // RES_USE_INET6 is gone (2.36 ignores "options inet6"): other families
  // are taken as AF_INET.
  if (af != AF_INET && af != AF_INET6) af = AF_INET;
  int addr_size = af == AF_INET6 ? 16 : 4;
  size_t size_needed = 16 + 2 * sizeof(char *) + sizeof(char *) + strlen(name) + 1;
  if (buffer_size == nullptr) {
    if (buflen < size_needed) {
      *status = HostNssStatus::kTryAgain;
      if (h_errnop) *h_errnop = NETDB_INTERNAL;
      errno = ERANGE;
      return 1;
    }
  } else if (*buffer_size < size_needed) {
    char *grown = static_cast<char *>(realloc(*buffer, size_needed));
    *buffer_size = size_needed;
    if (grown == nullptr) {
      int saved = errno;
      free(*buffer);
      *buffer = nullptr;
      *buffer_size = 0;
      errno = saved;
      if (h_errnop) *h_errnop = NETDB_INTERNAL;
      *result = nullptr;
      return 1;
    }
    *buffer = grown;
  }
  memset(*buffer, 0, size_needed);
  unsigned char *host_addr = reinterpret_cast<unsigned char *>(*buffer);
  char **h_addr_ptrs = reinterpret_cast<char **>(*buffer + 16);
  char **h_alias_ptr = h_addr_ptrs + 2;
  char *hostname = reinterpret_cast<char *>(h_alias_ptr + 1);

  auto not_found = [&]() {
    *h_errnop = HOST_NOT_FOUND;
    if (buffer_size == nullptr)
      *status = HostNssStatus::kNotFound;
    else
      *result = nullptr;
    return 1;
  };
  auto found = [&](int family, int length) {
    resbuf->h_name = strcpy(hostname, name);
    h_alias_ptr[0] = nullptr;
    resbuf->h_aliases = h_alias_ptr;
    h_addr_ptrs[0] = reinterpret_cast<char *>(host_addr);
    h_addr_ptrs[1] = nullptr;
    resbuf->h_addr_list = h_addr_ptrs;
    resbuf->h_addrtype = family;
    resbuf->h_length = length;
    if (h_errnop) *h_errnop = NETDB_SUCCESS;
    if (buffer_size == nullptr)
      *status = HostNssStatus::kSuccess;
    else
      *result = resbuf;
    return 1;
  };

  if (isdigit(first)) {
    const char *cp = name;
    for (;; ++cp) {
      if (*cp == '\0') {
        if (cp[-1] == '.') break;
        bool ok;
        if (af == AF_INET) {
          struct in_addr a;
          ok = inet_aton(name, &a) != 0;
          // __inet_aton_exact: nothing may follow the number.
          if (ok) {
            for (const char *q = name; *q; ++q)
              if (!isdigit(static_cast<unsigned char>(*q)) && *q != '.') ok = false;
          }
          if (ok) memcpy(host_addr, &a, 4);
        } else {
          ok = inet_pton(AF_INET6, name, host_addr) > 0;
        }
        if (!ok) return not_found();
        return found(af, addr_size);
      }
      if (!isdigit(static_cast<unsigned char>(*cp)) && *cp != '.') break;
    }
  }
  if ((isxdigit(first) && strchr(name, ':') != nullptr) || first == ':') {
    if (af == AF_INET) return not_found();
    for (const char *cp = name;; ++cp) {
      if (*cp == '\0') {
        if (cp[-1] == '.') break;
        if (inet_pton(AF_INET6, name, host_addr) <= 0) return not_found();
        return found(AF_INET6, 16);
      }
      if (!isxdigit(static_cast<unsigned char>(*cp)) && *cp != ':' && *cp != '.') break;
    }
  }
  return 0;
}

int hostent_by_name(const char *name, int af, struct hostent *resbuf, char *buffer, size_t buflen,
                    struct hostent **result, int *h_errnop) {
  HostNssStatus status = HostNssStatus::kUnavail;
  switch (
      hostname_digits_dots(name, resbuf, &buffer, nullptr, buflen, result, &status, af, h_errnop)) {
    case -1:
      return errno;
    case 1:
      note_answer_source(AnswerSource::kNumeric);
      return finish(status, true, resbuf, result, h_errnop);
  }
  return run_sources(ByName{name, af}, call_by_name, resbuf, buffer, buflen, result, h_errnop,
                     HostNssStatus::kUnavail, false);
}

int hostent_by_addr(const void *addr, socklen_t len, int type, struct hostent *resbuf, char *buffer,
                    size_t buflen, struct hostent **result, int *h_errnop) {
  if (len == sizeof(struct in6_addr) && memcmp(&in6addr_any, addr, sizeof(struct in6_addr)) == 0) {
    *h_errnop = HOST_NOT_FOUND;
    *result = nullptr;
    return ENOENT;
  }
  return run_sources(ByAddr{addr, len, type}, call_by_addr, resbuf, buffer, buflen, result,
                     h_errnop, HostNssStatus::kUnavail, false);
}

}  // namespace aresolv
