// getnameinfo's policy; see nameinfo.h. Where glibc calls a libc function
// that never enters NSS (inet_ntop, snprintf, if_indextoname, uname,
// gethostname) we call the same function, so that the text written into
// short buffers and the errno left behind are glibc's own.
#include "resolver/nameinfo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>

#include "resolver/base.h"
#include "resolver/config.h"
#include "resolver/hostent_lookup.h"
#include "resolver/records.h"
#include "resolver/services.h"

namespace aresolv {
namespace {

// Former NI_IDN_ALLOW_UNASSIGNED and NI_IDN_USE_STD3_ASCII_RULES: accepted
// and ignored by glibc.
constexpr int kDeprecatedIdnFlags = 64 | 128;
constexpr int kKnownFlags = NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM |
                            NI_IDN | kDeprecatedIdnFlags;

// glibc's scratch_buffer: 1024 bytes, doubled on growth. The sizes matter
// because they decide where gethostbyaddr_r reports ERANGE on the way.
class ScratchBuffer {
 public:
  ScratchBuffer() = default;
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  ~ScratchBuffer() { release(); }

  char* data() { return data_; }
  size_t length() const { return length_; }

  // The contents are lost, as with scratch_buffer_grow.
  bool grow() {
    size_t new_length = length_ * 2;
    if (new_length < length_) return fail(ENOMEM);
    char* p = static_cast<char*>(malloc(new_length));
    if (p == nullptr) return fail(errno);
    release();
    data_ = p;
    length_ = new_length;
    return true;
  }

  // scratch_buffer_grow_preserve.
  bool grow_preserve() {
    size_t new_length = length_ * 2;
    if (new_length < length_) return fail(ENOMEM);
    char* p;
    if (data_ == inline_) {
      p = static_cast<char*>(malloc(new_length));
      if (p != nullptr) memcpy(p, inline_, length_);
    } else {
      p = static_cast<char*>(realloc(data_, new_length));
    }
    if (p == nullptr) return fail(errno);
    data_ = p;
    length_ = new_length;
    return true;
  }

 private:
  bool fail(int error) {
    release();
    errno = error;
    return false;
  }
  void release() {
    if (data_ != inline_) free(data_);
    data_ = inline_;
    length_ = sizeof inline_;
  }

  char inline_[1024];
  char* data_ = inline_;
  size_t length_ = sizeof inline_;
};

// checked_copy: all or nothing.
int checked_copy(char* destination, size_t destination_length, const char* source) {
  size_t length = strlen(source);
  if (length + 1 > destination_length) return EAI_OVERFLOW;
  memcpy(destination, source, length + 1);
  return 0;
}

int check_snprintf_result(int result, size_t destination_length) {
  if (result < 0) return EAI_SYSTEM;
  if (static_cast<size_t>(result) >= destination_length) return EAI_OVERFLOW;
  return 0;
}

// ---- the local domain for NI_NOFQDN ----------------------------------------

struct LocalDomain {
  Mutex mutex;
  std::atomic<int> ready{0};
  char* domain = nullptr;  // glibc keeps its strdup'ed copy for the process lifetime
};

LocalDomain g_local_domain;
pthread_once_t g_atfork_once = PTHREAD_ONCE_INIT;

void reset_lock_in_child() { g_local_domain.mutex.reset_after_fork(); }
void register_atfork() { pthread_atfork(nullptr, nullptr, reset_lock_in_child); }

int host_name_from_kernel(char* name, size_t length) { return gethostname(name, length); }

// __gethostbyname_r, which nrl_domainname calls.
int hostent_by_name_v4(const char* name, struct hostent* result_buf, char* buffer,
                       size_t buffer_length, struct hostent** result, int* h_errnop) {
  return hostent_by_name(name, AF_INET, result_buf, buffer, buffer_length, result, h_errnop);
}

// The domain after the first dot of `name`, duplicated into *domain. False
// when there is no dot; *ok false when strdup failed.
bool take_domain_after_dot(const char* name, char** domain, bool* ok) {
  const char* dot = strchr(name, '.');
  if (dot == nullptr) return false;
  *domain = strdup(dot + 1);
  *ok = *domain != nullptr;
  return true;
}

bool local_domain(const char** domain) {
  pthread_once(&g_atfork_once, register_atfork);
  if (g_local_domain.ready.load(std::memory_order_acquire) == 0) {
    LockGuard lock(g_local_domain.mutex);
    if (g_local_domain.ready.load(std::memory_order_relaxed) == 0) {
      const LocalDomainSources sources = {hostent_by_name_v4, host_name_from_kernel,
                                          hostent_by_addr};
      char* computed = nullptr;
      if (!compute_local_domain(sources, &computed)) return false;
      g_local_domain.domain = computed;
      g_local_domain.ready.store(1, std::memory_order_release);
    }
  }
  *domain = g_local_domain.domain;
  return true;
}

// ---- host part -------------------------------------------------------------

int host_by_name(ScratchBuffer& scratch, const struct sockaddr* address, char* host,
                 size_t host_length, int flags) {
  const void* bytes;
  socklen_t length;
  int family = address->sa_family;
  if (family == AF_INET6) {
    bytes = &reinterpret_cast<const struct sockaddr_in6*>(address)->sin6_addr;
    length = sizeof(struct in6_addr);
  } else {
    bytes = &reinterpret_cast<const struct sockaddr_in*>(address)->sin_addr;
    length = sizeof(struct in_addr);
  }
  struct hostent entry;
  struct hostent* h = nullptr;
  int herrno = 0;
  while (hostent_by_addr(bytes, length, family, &entry, scratch.data(), scratch.length(), &h,
                         &herrno) != 0) {
    if (herrno == NETDB_INTERNAL && errno == ERANGE) {
      if (!scratch.grow()) {
        h_errno = herrno;
        return EAI_MEMORY;
      }
    } else {
      break;
    }
  }

  if (h == nullptr) {
    if (herrno == NETDB_INTERNAL) {
      h_errno = herrno;
      return EAI_SYSTEM;
    }
    if (herrno == TRY_AGAIN) {
      h_errno = herrno;
      return EAI_AGAIN;
    }
    return EAI_NONAME;
  }

  if (flags & NI_NOFQDN) {
    const char* domain = nullptr;
    if (!local_domain(&domain)) return EAI_MEMORY;
    strip_local_domain(h->h_name, domain);
  }
  // NI_IDN: glibc without libidn2 copies the name as it is (see nameinfo.h).
  if (flags & NI_IDN) {
    char* copy = strdup(h->h_name);
    if (copy == nullptr) return EAI_MEMORY;
    int result = checked_copy(host, host_length, copy);
    free(copy);
    return result;
  }
  return checked_copy(host, host_length, h->h_name);
}

bool is_link_local_scope(const struct in6_addr& address) {
  const uint8_t* b = address.s6_addr;
  bool link_local_unicast = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
  bool link_local_multicast = b[0] == 0xff && (b[1] & 0x0f) == 0x02;
  return link_local_unicast || link_local_multicast;
}

int host_numeric(const struct sockaddr* address, char* host, size_t host_length) {
  if (address->sa_family != AF_INET6) {
    const auto* sin = reinterpret_cast<const struct sockaddr_in*>(address);
    if (inet_ntop(AF_INET, &sin->sin_addr, host, host_length) == nullptr) return EAI_OVERFLOW;
    return 0;
  }
  const auto* sin6 = reinterpret_cast<const struct sockaddr_in6*>(address);
  if (inet_ntop(AF_INET6, &sin6->sin6_addr, host, host_length) == nullptr) return EAI_OVERFLOW;
  uint32_t scope_id = sin6->sin6_scope_id;
  if (scope_id == 0) return 0;
  size_t used = strnlen(host, host_length);
  char* scope_start = host + used;
  size_t scope_length = host_length - used;
  if (is_link_local_scope(sin6->sin6_addr)) {
    char interface_name[IFNAMSIZ];
    if (if_indextoname(scope_id, interface_name) != nullptr)
      return check_snprintf_result(snprintf(scope_start, scope_length, "%%%s", interface_name),
                                   scope_length);
  }
  return check_snprintf_result(snprintf(scope_start, scope_length, "%%%u", scope_id), scope_length);
}

int host_part(ScratchBuffer& scratch, const struct sockaddr* address, char* host,
              size_t host_length, int flags) {
  if (address->sa_family == AF_LOCAL) {
    if (!(flags & NI_NUMERICHOST)) {
      struct utsname names;
      if (uname(&names) == 0) return checked_copy(host, host_length, names.nodename);
    }
    if (flags & NI_NAMEREQD) return EAI_NONAME;
    return checked_copy(host, host_length, "localhost");
  }
  if (!(flags & NI_NUMERICHOST)) {
    int result = host_by_name(scratch, address, host, host_length, flags);
    if (result != EAI_NONAME) return result;
  }
  if (flags & NI_NAMEREQD) return EAI_NONAME;
  return host_numeric(address, host, host_length);
}

// ---- service part ----------------------------------------------------------

// The /etc/services name of `port`, as getservbyport_r finds it with a
// buffer grown on ERANGE. Returns 1 found, 0 not found (errno as
// getservbyport_r leaves it), or an EAI_* code.
int service_name(uint16_t port, const char* protocol, const char* path, char* small,
                 size_t small_length, MallocPtr<char>* large) {
  char* buffer = small;
  size_t length = small_length;
  for (;;) {
    Status status = services_name_by_port(path, port, protocol, buffer, length);
    switch (status) {
      case Status::kSuccess:
        errno = 0;
        return 1;
      case Status::kNotFound:
        errno = 0;
        return 0;
      case Status::kNoMemory:
        return EAI_MEMORY;
      case Status::kSystem:
        if (errno == ERANGE) {
          length *= 2;
          *large = MallocPtr<char>::allocate(length);
          if (!*large) return EAI_MEMORY;
          buffer = large->get();
          continue;
        }
        return 0;
      default:  // no services file: glibc's files source is unavailable
        return 0;
    }
  }
}

int service_part(const struct sockaddr* address, char* service, size_t service_length, int flags) {
  if (address->sa_family == AF_LOCAL)
    return checked_copy(service, service_length,
                        reinterpret_cast<const struct sockaddr_un*>(address)->sun_path);
  // sin_port and sin6_port share their offset.
  uint16_t port = ntohs(reinterpret_cast<const struct sockaddr_in*>(address)->sin_port);
  if (!(flags & NI_NUMERICSERV)) {
    char small[256];
    MallocPtr<char> large;
    int found = service_name(port, (flags & NI_DGRAM) ? "udp" : "tcp", settings().services_path,
                             small, sizeof small, &large);
    if (found == 1) return checked_copy(service, service_length, large ? large.get() : small);
    if (found != 0) return found;
  }
  return check_snprintf_result(snprintf(service, service_length, "%d", static_cast<int>(port)),
                               service_length);
}

}  // namespace

void strip_local_domain(char* name, const char* domain) {
  if (domain == nullptr) return;
  char* found = strstr(name, domain);
  if (found != nullptr && found != name && found[-1] == '.') found[-1] = '\0';
}

bool compute_local_domain(const LocalDomainSources& sources, char** domain) {
  *domain = nullptr;
  ScratchBuffer scratch;
  struct hostent entry;
  struct hostent* h = nullptr;
  int herrno = 0;
  bool ok = true;

  while (sources.by_name("localhost", &entry, scratch.data(), scratch.length(), &h, &herrno) != 0) {
    if (herrno == NETDB_INTERNAL && errno == ERANGE) {
      if (!scratch.grow()) return false;
    } else {
      break;
    }
  }
  if (h != nullptr && take_domain_after_dot(h->h_name, domain, &ok)) return ok;

  while (sources.host_name(scratch.data(), scratch.length()) != 0)
    if (!scratch.grow()) return false;
  if (take_domain_after_dot(scratch.data(), domain, &ok)) return ok;

  // The host name stays at the start of the buffer; the lookup uses the rest.
  size_t name_size = strlen(scratch.data()) + 1;
  h = nullptr;
  while (sources.by_name(scratch.data(), &entry, scratch.data() + name_size,
                         scratch.length() - name_size, &h, &herrno) != 0) {
    if (herrno == NETDB_INTERNAL && errno == ERANGE) {
      if (!scratch.grow_preserve()) return false;
    } else {
      break;
    }
  }
  if (h != nullptr && take_domain_after_dot(h->h_name, domain, &ok)) return ok;

  struct in_addr loopback;
  loopback.s_addr = htonl(INADDR_LOOPBACK);
  h = nullptr;
  while (sources.by_addr(&loopback, sizeof loopback, AF_INET, &entry, scratch.data(),
                         scratch.length(), &h, &herrno) != 0) {
    if (herrno == NETDB_INTERNAL && errno == ERANGE) {
      if (!scratch.grow()) return false;
    } else {
      break;
    }
  }
  if (h != nullptr && take_domain_after_dot(h->h_name, domain, &ok)) return ok;
  return true;
}

int name_info(const struct sockaddr* address, socklen_t address_length, char* host,
              socklen_t host_length, char* service, socklen_t service_length, int flags) {
  if (flags & ~kKnownFlags) return EAI_BADFLAGS;
  if (address == nullptr || address_length < sizeof(sa_family_t)) return EAI_FAMILY;
  if ((flags & NI_NAMEREQD) && host == nullptr && service == nullptr) return EAI_NONAME;

  switch (address->sa_family) {
    case AF_LOCAL:
      if (address_length < static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path)))
        return EAI_FAMILY;
      break;
    case AF_INET:
      if (address_length < sizeof(struct sockaddr_in)) return EAI_FAMILY;
      break;
    case AF_INET6:
      if (address_length < sizeof(struct sockaddr_in6)) return EAI_FAMILY;
      break;
    default:
      return EAI_FAMILY;
  }

  ScratchBuffer scratch;
  if (host != nullptr && host_length > 0) {
    int result = host_part(scratch, address, host, host_length, flags);
    if (result != 0) return result;
  }
  if (service != nullptr && service_length > 0) {
    int result = service_part(address, service, service_length, flags);
    if (result != 0) return result;
  }
  return 0;
}

}  // namespace aresolv
