// The way out: every exported entry point first asks whether to hand the call
// to the libc function it replaces.
//
// - The kill switch, for an administrator who needs out quickly: the file
//   /etc/aresolv/disable (any process, setuid ones included; checked at most
//   once a second, so a `touch` reaches running daemons within a second), or
//   ARESOLV_DISABLE=1 in the environment (read once; ignored in
//   secure-execution processes). Every entry point then forwards.
// - The NSS fallback, opt-in: /etc/aresolv/nss-fallback or
//   ARESOLV_NSS_FALLBACK=1 (same rules). When the hosts line of nsswitch.conf
//   names a source we skip (HostsSource::kSkipped), the lookup entry points
//   (getaddrinfo, gethostby*, getnameinfo) forward the whole call, so that
//   libc's NSS modules (mdns, ldap, ...) answer as they would without us.
//
// libc's functions are found with dlsym(RTLD_NEXT) on first need and cached;
// when libc has no such function (libanl/libresolv not loaded on glibc <
// 2.34), the call stays with our implementation.
#pragma once

#include <atomic>

namespace aresolv {

// One libc function we replace, looked up lazily under its libc name (and an
// alternate spelling, e.g. "__res_query" where glibc < 2.34 has no
// "res_query"). Objects are constant-initialized: no constructor runs at load.
class LibcFunction {
 public:
  constexpr explicit LibcFunction(const char* name, const char* alternate = nullptr)
      : name_(name), alternate_(alternate) {}
  LibcFunction(const LibcFunction&) = delete;
  LibcFunction& operator=(const LibcFunction&) = delete;

  // The next definition after ours (libc's), or nullptr when there is none.
  void* address();

 private:
  const char* name_;
  const char* alternate_;
  std::atomic<void*> address_{nullptr};  // kNotFound once looked up in vain
};

enum class Forward {
  kOnKillSwitch,       // every entry point
  kOnKillSwitchOrNss,  // lookup entry points: also under the NSS fallback
};

// libc's `function` when this call is to be forwarded, else nullptr (cheap:
// no system call between the once-a-second checks of the files). Keeps errno
// as it was.
void* forward_target(LibcFunction& function, Forward when);

template <typename FunctionPointer>
FunctionPointer libc_target(LibcFunction& function, Forward when) {
  return reinterpret_cast<FunctionPointer>(forward_target(function, when));
}

}  // namespace aresolv
