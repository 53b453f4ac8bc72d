// The aresolv command: resolve names through the library's own resolver,
// run programs with the library preloaded, explain what this machine's
// configuration means for aresolv, audit binaries, and read the counters of a
// running process. Unlike the library it may use the C++ standard library:
// it runs in its own process only.
#include <ares.h>
#include <arpa/inet.h>
#include <elf.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <netdb.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "resolver/config.h"
#include "resolver/hostent_lookup.h"
#include "resolver/interfaces.h"
#include "resolver/lookup_name.h"
#include "resolver/lookup_service.h"
#include "resolver/sort.h"
#include "resolver/stats.h"
#include "tools/elf_file.h"

#ifndef ARESOLV_LIBDIR_FROM_BINDIR
#define ARESOLV_LIBDIR_FROM_BINDIR "../lib"
#endif

namespace {

using aresolv_tool::ElfFile;

// Exit codes (also in --help and the README).
constexpr int kExitOk = 0;
constexpr int kExitNo = 1;  // the lookup failed; the program is not covered; doctor found problems
constexpr int kExitUsage = 2;
constexpr int kExitCannot = 3;  // a file, process or the library could not be read or found
constexpr int kExitExecFailed = 126;
constexpr int kExitNotFound = 127;

const char kUsage[] =
    "Usage: aresolv COMMAND [ARGS]\n"
    "\n"
    "aresolv replaces the libc resolver (getaddrinfo, gethostbyname*, getnameinfo,\n"
    "res_*) of dynamically linked programs with one that never loads NSS modules.\n"
    "\n"
    "Commands:\n"
    "  resolve NAME [--family 4|6] [--service S] [--reverse] [--count N]\n"
    "        look NAME up with the library's resolver; show each address, where\n"
    "        it came from (numeric, hosts, dns, cache, myhostname), its TTL and\n"
    "        the time taken. --reverse: NAME is an address, show its host name.\n"
    "        --count N: look it up N times (the second answer may be the cache's).\n"
    "  run [--library PATH] [--debug] -- PROGRAM [ARGS]\n"
    "        run PROGRAM with libaresolv.so preloaded (LD_PRELOAD); --debug sets\n"
    "        ARESOLV_DEBUG=1: one line per lookup on standard error.\n"
    "  doctor\n"
    "        what resolv.conf, nsswitch.conf, /etc/ld.so.preload, the kill switch\n"
    "        and the versions of glibc and c-ares mean for aresolv here.\n"
    "  audit BINARY\n"
    "        whether preloading covers BINARY: dynamically linked against glibc\n"
    "        (covered; lists the resolver functions it imports), statically\n"
    "        linked, or a Go program with its own resolver (not covered).\n"
    "  stats PID\n"
    "        the library's counters in a running process: calls per entry point,\n"
    "        answer sources, cache hits, per-server latency (needs ptrace\n"
    "        permission over PID: root, or the same user).\n"
    "\n"
    "Options: --help, --version.\n"
    "\n"
    "Exit status: 0 success; 1 the lookup failed, the binary is not covered, or\n"
    "doctor found a problem; 2 usage error; 3 a file, process or the library\n"
    "could not be found or read. run exits with the program's status (126 when\n"
    "it cannot be executed, 127 when it is not found).\n";

int usage_error(const std::string& message) {
  std::cerr << "aresolv: " << message << "\nTry 'aresolv --help'.\n";
  return kExitUsage;
}

std::string read_file(const std::string& path, bool* ok = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (ok) *ok = static_cast<bool>(in);
  std::ostringstream s;
  if (in) s << in.rdbuf();
  return s.str();
}

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool env_flag(const char* name) {
  const char* v = getenv(name);
  return v != nullptr && v[0] != '\0' && strcmp(v, "0") != 0;
}

std::string address_text(const aresolv::Address& a) {
  char text[INET6_ADDRSTRLEN + 16];
  inet_ntop(a.family, a.bytes, text, sizeof text);
  std::string s = text;
  if (a.family == AF_INET6 && a.scope_id != 0) s += "%" + std::to_string(a.scope_id);
  return s;
}

std::string ms_text(uint64_t us) {
  char text[64];
  snprintf(text, sizeof text, "%llu.%03llu ms", static_cast<unsigned long long>(us / 1000),
           static_cast<unsigned long long>(us % 1000));
  return text;
}

const char* socktype_name(int t) {
  switch (t) {
    case SOCK_STREAM:
      return "tcp";
    case SOCK_DGRAM:
      return "udp";
    case SOCK_RAW:
      return "raw";
    case SOCK_SEQPACKET:
      return "sctp/seqpacket";
    default:
      return "?";
  }
}

// ---- where traffic went, from this process's own counters -----------------

struct TrafficMark {
  uint64_t visits = 0;
  uint64_t cache_hits = 0;
  static TrafficMark now() {
    TrafficMark m;
    const aresolv::Stats& stats = aresolv::stats_record();
    for (const auto& server : stats.servers) m.visits += server.visits.load();
    m.visits += stats.servers_untracked.load();
    m.cache_hits = aresolv::sum_stats(stats).cache_hits;
    return m;
  }
};

aresolv::AnswerSource refine_source(aresolv::AnswerSource source, const TrafficMark& before,
                                    const TrafficMark& after) {
  bool network = after.visits > before.visits;
  bool cached = after.cache_hits > before.cache_hits;
  if (source == aresolv::AnswerSource::kDns && !network && cached)
    return aresolv::AnswerSource::kDnsCache;
  if (source == aresolv::AnswerSource::kNone)
    return network  ? aresolv::AnswerSource::kDns
           : cached ? aresolv::AnswerSource::kDnsCache
                    : aresolv::AnswerSource::kHosts;
  return source;
}

// ---- resolve ----------------------------------------------------------------

int resolve_forward(const std::string& name, int family, const std::string& service, int round) {
  const aresolv::Settings& config = aresolv::settings();
  // getaddrinfo(NAME, SERVICE, {AI_CANONNAME | AI_ADDRCONFIG, family}), as the
  // library composes it.
  int flags = AI_CANONNAME | AI_ADDRCONFIG;
  uint64_t start = aresolv::stats_now_us();
  TrafficMark before = TrafficMark::now();
  aresolv::LocalAddresses local;
  aresolv::query_local_addresses(&local);
  int effective_family = aresolv::addrconfig_family(family, local.seen_ipv4, local.seen_ipv6);
  int rc = 0;
  aresolv::ServiceResult services;
  auto lookup = std::make_unique<aresolv::NameLookup>();
  if (effective_family < 0) {
    rc = EAI_NONAME;
  } else {
    rc = aresolv::lookup_service(service.empty() ? nullptr : service.c_str(), 0, 0, flags,
                                 config.services_path, &services);
    if (rc == 0) rc = aresolv::lookup_name(name.c_str(), effective_family, flags, lookup.get());
  }
  aresolv::NameResult& result = lookup->result;
  if (rc == 0 && result.count > 1 &&
      !aresolv::sort_destinations(result.addresses, result.count, config.gai_conf_path,
                                  services.count ? services.tuples[0].port : 0, &local))
    rc = EAI_MEMORY;
  uint64_t elapsed = aresolv::stats_now_us() - start;
  TrafficMark after = TrafficMark::now();

  std::string prefix = round > 0 ? "[" + std::to_string(round) + "] " : "";
  if (rc != 0) {
    std::cout << prefix << name << ": " << gai_strerror(rc) << " (" << rc << ") after "
              << ms_text(elapsed) << "\n";
    return kExitNo;
  }
  aresolv::AnswerSource source = refine_source(result.source, before, after);
  bool has_ttl =
      source == aresolv::AnswerSource::kDns || source == aresolv::AnswerSource::kDnsCache;
  std::cout << prefix << name << ": " << result.count
            << (result.count == 1 ? " address" : " addresses") << " in " << ms_text(elapsed)
            << "\n";
  if (result.canonical_name[0]) std::cout << "  canonical name " << result.canonical_name << "\n";
  char line[160];
  snprintf(line, sizeof line, "  %-40s %-10s %s\n", "ADDRESS", "SOURCE", "TTL");
  std::cout << line;
  for (int i = 0; i < result.count; ++i) {
    std::string ttl = has_ttl ? std::to_string(result.ttl) + " s" : "-";
    snprintf(line, sizeof line, "  %-40s %-10s %s\n", address_text(result.addresses[i]).c_str(),
             aresolv::answer_source_name(source), ttl.c_str());
    std::cout << line;
  }
  if (result.truncated) std::cout << "  (more addresses than aresolv keeps were dropped)\n";
  if (!service.empty()) {
    std::cout << "  service " << service << ":";
    for (int i = 0; i < services.count; ++i)
      std::cout << " " << ntohs(services.tuples[i].port) << "/"
                << socktype_name(services.tuples[i].socktype);
    std::cout << "\n";
  }
  return kExitOk;
}

int resolve_reverse(const std::string& text, int round) {
  unsigned char bytes[16];
  int family = AF_INET;
  socklen_t length = 4;
  if (inet_pton(AF_INET, text.c_str(), bytes) != 1) {
    family = AF_INET6;
    length = 16;
    if (inet_pton(AF_INET6, text.c_str(), bytes) != 1)
      return usage_error("--reverse needs an IPv4 or IPv6 address, not '" + text + "'");
  }
  uint64_t start = aresolv::stats_now_us();
  TrafficMark before = TrafficMark::now();
  std::vector<char> buffer(1024);
  struct hostent entry;
  struct hostent* found = nullptr;
  int h_error = 0;
  int rc;
  for (;;) {
    rc = aresolv::hostent_by_addr(bytes, length, family, &entry, buffer.data(), buffer.size(),
                                  &found, &h_error);
    if (rc != ERANGE || buffer.size() >= (1u << 20)) break;
    buffer.resize(buffer.size() * 2);
  }
  uint64_t elapsed = aresolv::stats_now_us() - start;
  TrafficMark after = TrafficMark::now();
  std::string prefix = round > 0 ? "[" + std::to_string(round) + "] " : "";
  if (rc != 0 || found == nullptr) {
    std::cout << prefix << text << ": " << hstrerror(h_error) << " after " << ms_text(elapsed)
              << "\n";
    return kExitNo;
  }
  aresolv::AnswerSource source = refine_source(aresolv::AnswerSource::kNone, before, after);
  std::cout << prefix << text << ": " << found->h_name << " (source "
            << aresolv::answer_source_name(source) << ") in " << ms_text(elapsed) << "\n";
  for (char** alias = found->h_aliases; alias && *alias; ++alias)
    std::cout << "  alias " << *alias << "\n";
  return kExitOk;
}

int command_resolve(const std::vector<std::string>& args) {
  std::string name, service;
  int family = AF_UNSPEC;
  bool reverse = false;
  int count = 1;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* option) -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      (void)option;
      return args[++i];
    };
    if (a == "--family" || a == "-f") {
      auto v = value("--family");
      if (!v) return usage_error("--family needs 4 or 6");
      if (*v == "4" || *v == "inet")
        family = AF_INET;
      else if (*v == "6" || *v == "inet6")
        family = AF_INET6;
      else
        return usage_error("--family needs 4 or 6, not '" + *v + "'");
    } else if (a == "-4") {
      family = AF_INET;
    } else if (a == "-6") {
      family = AF_INET6;
    } else if (a == "--service" || a == "-s") {
      auto v = value("--service");
      if (!v) return usage_error("--service needs a name or port");
      service = *v;
    } else if (a == "--reverse" || a == "-r") {
      reverse = true;
    } else if (a == "--count" || a == "-n") {
      auto v = value("--count");
      char* end = nullptr;
      long n = v ? strtol(v->c_str(), &end, 10) : 0;
      if (!v || *end != '\0' || n < 1 || n > 1000) return usage_error("--count needs 1 to 1000");
      count = static_cast<int>(n);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usage_error("resolve: unknown option " + a);
    } else if (name.empty()) {
      name = a;
    } else {
      return usage_error("resolve: one name at a time");
    }
  }
  if (name.empty()) return usage_error("resolve: which name?");
  int status = kExitOk;
  for (int round = 1; round <= count; ++round) {
    int rc = reverse ? resolve_reverse(name, count > 1 ? round : 0)
                     : resolve_forward(name, family, service, count > 1 ? round : 0);
    if (rc == kExitUsage) return rc;
    if (rc != kExitOk) status = rc;
  }
  return status;
}

// ---- run ----------------------------------------------------------------------

std::string self_directory() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  path[n] = '\0';
  std::string s = path;
  size_t slash = s.rfind('/');
  return slash == std::string::npos ? "." : s.substr(0, slash == 0 ? 1 : slash);
}

std::string absolute(const std::string& path) {
  char* real = realpath(path.c_str(), nullptr);
  if (real == nullptr) return path;
  std::string s = real;
  free(real);
  return s;
}

// The library next to the command: installed (bin/../lib/<multiarch>), or in
// the build tree (tools/../libaresolv.so).
std::optional<std::string> find_library(std::vector<std::string>* tried) {
  std::string dir = self_directory();
  for (const std::string& candidate :
       {dir + "/" ARESOLV_LIBDIR_FROM_BINDIR "/libaresolv.so", dir + "/../lib/libaresolv.so",
        dir + "/../libaresolv.so", dir + "/libaresolv.so"}) {
    tried->push_back(candidate);
    if (file_exists(candidate)) return absolute(candidate);
  }
  return std::nullopt;
}

int command_run(const std::vector<std::string>& args) {
  std::string library;
  bool debug = false;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--library" || a == "-l") {
      if (i + 1 >= args.size()) return usage_error("--library needs a path");
      library = args[++i];
    } else if (a == "--debug" || a == "-d") {
      debug = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("run: unknown option " + a);
    } else {
      break;  // the program, without "--"
    }
  }
  if (i >= args.size()) return usage_error("run: which program? (aresolv run -- PROGRAM ARGS)");
  if (library.empty()) {
    std::vector<std::string> tried;
    auto found = find_library(&tried);
    if (!found) {
      std::cerr << "aresolv: libaresolv.so not found; looked at:\n";
      for (const auto& t : tried) std::cerr << "  " << t << "\n";
      std::cerr << "Give its path with --library PATH.\n";
      return kExitCannot;
    }
    library = *found;
  } else {
    if (!file_exists(library)) {
      std::cerr << "aresolv: " << library << ": " << strerror(errno) << "\n";
      return kExitCannot;
    }
    library = absolute(library);
  }
  // ld.so splits LD_PRELOAD at spaces and colons: such a path cannot be preloaded.
  if (library.find_first_of(" :") != std::string::npos) {
    std::cerr << "aresolv: the library path contains a space or colon: " << library << "\n";
    return kExitCannot;
  }
  std::string preload = library;
  if (const char* existing = getenv("LD_PRELOAD"); existing && *existing)
    preload += std::string(" ") + existing;
  setenv("LD_PRELOAD", preload.c_str(), 1);
  if (debug) setenv("ARESOLV_DEBUG", "1", 1);
  std::vector<char*> argv;
  for (size_t j = i; j < args.size(); ++j) argv.push_back(const_cast<char*>(args[j].c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  int error = errno;
  std::cerr << "aresolv: " << argv[0] << ": " << strerror(error) << "\n";
  return error == ENOENT ? kExitNotFound : kExitExecFailed;
}

// ---- doctor -------------------------------------------------------------------

struct Report {
  int warnings = 0;
  void heading(const std::string& title) { std::cout << "\n" << title << "\n"; }
  void line(const std::string& text) { std::cout << "  " << text << "\n"; }
  void warn(const std::string& text) {
    ++warnings;
    std::cout << "  warning: " << text << "\n";
  }
};

std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

void doctor_resolv_conf(Report& r, const aresolv::Settings& s) {
  r.heading(std::string("resolv.conf (") + s.resolv_conf_path + ")");
  bool readable = false;
  std::string text = read_file(s.resolv_conf_path, &readable);
  if (!readable) r.line("not readable: glibc and aresolv then ask 127.0.0.1 with default options");
  aresolv::ResolvConf conf;
  aresolv::current_resolv_conf(&conf);
  for (int i = 0; i < conf.nameserver_count; ++i) {
    const auto& ns = conf.nameservers[i];
    aresolv::Address a = {};
    a.family = ns.family;
    memcpy(a.bytes, ns.bytes, 16);
    a.scope_id = ns.scope_id;
    std::string line = "nameserver " + address_text(a);
    if (ns.port != 53) line += " port " + std::to_string(ns.port);
    r.line(line);
    if (ns.scope_id != 0)
      r.warn("link-local nameserver " + address_text(a) +
             ": the scope is lost (c-ares 1.18.1 has no field for it)");
  }
  std::string search;
  for (int i = 0; i < conf.search_count; ++i) search += std::string(" ") + conf.search[i];
  r.line("search" + (search.empty() ? std::string(" (none)") : search));
  std::string options = "options ndots:" + std::to_string(conf.ndots) +
                        " timeout:" + std::to_string(conf.timeout) +
                        " attempts:" + std::to_string(conf.attempts);
  for (auto [on, name] : std::initializer_list<std::pair<bool, const char*>>{
           {conf.rotate, "rotate"},
           {conf.edns0, "edns0"},
           {conf.single_request, "single-request"},
           {conf.single_request_reopen, "single-request-reopen"},
           {conf.no_tld_query, "no-tld-query"},
           {conf.use_vc, "use-vc"},
           {conf.no_aaaa, "no-aaaa"},
           {conf.trust_ad, "trust-ad"},
           {conf.no_reload, "no-reload"}})
    if (on) options += std::string(" ") + name;
  r.line(options + "  (as aresolv applies them)");
  if (s.localdomain)
    r.line(std::string("LOCALDOMAIN=") + s.localdomain + " replaces the search list");
  if (s.res_options)
    r.line(std::string("RES_OPTIONS=") + s.res_options + " is applied after the file");

  // What the file says that aresolv (and glibc) pass over.
  static const std::set<std::string> kFlags = {
      "rotate",         "edns0",        "single-request-reopen",
      "single-request", "no_tld_query", "no-tld-query",
      "no-reload",      "use-vc",       "trust-ad",
      "no-aaaa"};
  int nameserver_lines = 0;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    if (raw.empty() || raw[0] == '#' || raw[0] == ';') continue;
    auto w = words_of(raw);
    if (w.empty()) continue;
    if (w[0] == "nameserver") {
      if (++nameserver_lines > aresolv::kMaxNameservers)
        r.line("ignored (only the first 3 count, as in glibc): " + raw);
    } else if (w[0] == "sortlist") {
      r.warn(
          "sortlist is not supported: glibc orders gethostbyname's DNS answers by it, aresolv does "
          "not");
    } else if (w[0] == "options") {
      for (size_t i = 1; i < w.size(); ++i) {
        const std::string& o = w[i];
        if (o.rfind("ndots:", 0) == 0 || o.rfind("timeout:", 0) == 0 ||
            o.rfind("attempts:", 0) == 0 || kFlags.count(o))
          continue;
        r.line("option '" + o + "' is unknown to glibc 2.36: ignored by both");
      }
    }
  }
  if (conf.search_truncated) r.warn("the search list is longer than aresolv keeps (32 domains)");
}

void doctor_nsswitch(Report& r, const aresolv::Settings& s, bool nss_fallback) {
  r.heading(std::string("nsswitch.conf (") + s.nsswitch_path + ")");
  bool readable = false;
  std::string text = read_file(s.nsswitch_path, &readable);
  std::string hosts_line;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    size_t p = raw.find_first_not_of(" \t");
    if (p != std::string::npos && raw.compare(p, 5, "hosts") == 0) hosts_line = raw.substr(p);
  }
  if (hosts_line.empty())
    r.line(readable ? "no hosts line: glibc's default 'files dns'"
                    : "not readable: glibc's default 'files dns'");
  else
    r.line(hosts_line);
  aresolv::HostsLookupOrder order;
  aresolv::current_hosts_order(&order);
  if (order.load_failed)
    r.warn(
        "glibc cannot parse this file: its getaddrinfo fails (EAI_SYSTEM), and so does aresolv's");
  bool skipped = false;
  for (int i = 0; i < order.count; ++i) {
    const auto& e = order.sources[i];
    std::string what;
    switch (e.source) {
      case aresolv::HostsSource::kFiles:
        what = std::string("read by aresolv (") + s.hosts_path + ")";
        break;
      case aresolv::HostsSource::kDns:
        what =
            strcmp(e.name, "dns") == 0
                ? "asked by aresolv over c-ares"
                : "answered by aresolv as 'dns' (systemd-resolved's stub is asked like any server)";
        break;
      case aresolv::HostsSource::kMyHostname:
        what = "answered natively by aresolv (localhost, the host name)";
        break;
      case aresolv::HostsSource::kSkipped:
        skipped = true;
        what = nss_fallback
                   ? "SKIPPED by aresolv; the NSS fallback is on, so lookups go to libc's NSS"
                   : "SKIPPED: aresolv never loads NSS modules, it passes over this source";
        break;
    }
    r.line(std::string("  ") + e.name + ": " + what);
  }
  if (order.count == 0) r.line("no sources: every lookup fails (EAI_NONAME), as in glibc");
  if (skipped && !nss_fallback)
    r.warn(
        "names only this source knows will not resolve under aresolv (see "
        "/etc/aresolv/nss-fallback)");
}

void doctor_preload(Report& r) {
  r.heading("/etc/ld.so.preload");
  bool readable = false;
  std::string text = read_file("/etc/ld.so.preload", &readable);
  if (!readable) {
    r.line("absent: aresolv is not enabled system-wide (scripts/install.sh enable does it)");
    return;
  }
  bool listed = false;
  for (const std::string& entry : words_of(text)) {
    bool ours = entry.find("libaresolv") != std::string::npos;
    listed |= ours;
    // ld.so expands $LIB, $PLATFORM and $ORIGIN in this file.
    std::string expanded = entry;
    for (auto [token, value] : std::initializer_list<std::pair<std::string, std::string>>{
             {"$LIB", std::string("lib/") + ARESOLV_MULTIARCH},
             {"${LIB}", std::string("lib/") + ARESOLV_MULTIARCH}}) {
      size_t p;
      while ((p = expanded.find(token)) != std::string::npos)
        expanded.replace(p, token.size(), value);
    }
    std::string state = file_exists(expanded) ? "present" : "MISSING";
    if (expanded != entry) state += " as " + expanded + " for this architecture";
    r.line(entry + " (" + state + ")");
    if (!file_exists(expanded))
      r.warn(entry + " does not exist: every program prints an ld.so error at start");
    else if (ours) {
      std::string error;
      auto elf = ElfFile::load(expanded, &error);
      if (elf && elf->is_64bit() != (sizeof(void*) == 8))
        r.warn(entry + " is " + (elf->is_64bit() ? "64" : "32") +
               "-bit here: use /usr/$LIB/libaresolv.so so that each ABI finds its own build");
    }
  }
  r.line(listed ? "aresolv is enabled system-wide"
                : "aresolv is not listed: not enabled system-wide");
}

int command_doctor(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    }
    return usage_error("doctor takes no arguments");
  }
  Report r;
  const aresolv::Settings& s = aresolv::settings();
  std::cout << "aresolv " << ARESOLV_VERSION << "\n";
  r.line(std::string("glibc ") + gnu_get_libc_version() +
         " (aresolv answers as glibc 2.36 does with 'hosts: files dns')");
  r.line(std::string("c-ares ") + ares_version(nullptr) + " (embedded in libaresolv.so)");
  std::vector<std::string> tried;
  auto library = find_library(&tried);
  r.line("library next to this command: " + (library ? *library : std::string("not found")));
  const char* preload = getenv("LD_PRELOAD");
  if (preload && strstr(preload, "libaresolv")) r.line(std::string("LD_PRELOAD=") + preload);
  if (s.secure_execution) r.line("running with secure execution: ARESOLV_* variables ignored");

  r.heading("Kill switch and NSS fallback");
  bool disabled_env = env_flag("ARESOLV_DISABLE");
  bool disabled_file = file_exists("/etc/aresolv/disable");
  bool fallback_env = env_flag("ARESOLV_NSS_FALLBACK");
  bool fallback_file = file_exists("/etc/aresolv/nss-fallback");
  if (disabled_env || disabled_file) {
    r.warn(std::string("the kill switch is ON (") +
           (disabled_file ? "/etc/aresolv/disable exists" : "ARESOLV_DISABLE is set") +
           "): every call goes to libc's resolver and its NSS modules");
  } else {
    r.line("kill switch off (/etc/aresolv/disable absent, ARESOLV_DISABLE unset)");
  }
  if (fallback_env || fallback_file)
    r.line(std::string("NSS fallback ON (") +
           (fallback_file ? "/etc/aresolv/nss-fallback" : "ARESOLV_NSS_FALLBACK") +
           "): lookups go to libc when nsswitch.conf names a source aresolv skips");
  else
    r.line("NSS fallback off");
  if (file_exists("/etc/aresolv")) {
    struct stat st;
    if (stat("/etc/aresolv", &st) == 0 && (st.st_mode & 0005) != 0005)
      r.warn(
          "/etc/aresolv is not searchable by every user: unprivileged processes cannot see the "
          "switches");
  }

  doctor_resolv_conf(r, s);
  doctor_nsswitch(r, s, fallback_env || fallback_file);
  doctor_preload(r);
  std::cout << "\n"
            << (r.warnings ? std::to_string(r.warnings) + " warning(s)" : "no problems found")
            << "\n";
  return r.warnings ? kExitNo : kExitOk;
}

// ---- audit ---------------------------------------------------------------------

// The libc names the library replaces (shim/exports.map).
const std::set<std::string>& resolver_symbols() {
  static const std::set<std::string> names = {
      "getaddrinfo",      "freeaddrinfo",       "gai_strerror",     "gethostbyname",
      "gethostbyname2",   "gethostbyname_r",    "gethostbyname2_r", "gethostbyaddr",
      "gethostbyaddr_r",  "getnameinfo",        "res_init",         "__res_init",
      "res_query",        "__res_query",        "res_search",       "__res_search",
      "res_querydomain",  "__res_querydomain",  "res_mkquery",      "__res_mkquery",
      "res_send",         "__res_send",         "res_ninit",        "__res_ninit",
      "res_nquery",       "__res_nquery",       "res_nsearch",      "__res_nsearch",
      "res_nquerydomain", "__res_nquerydomain", "res_nmkquery",     "__res_nmkquery",
      "res_nsend",        "__res_nsend",        "res_nclose",       "__res_nclose",
      "getaddrinfo_a",    "gai_suspend",        "gai_error",        "gai_cancel"};
  return names;
}

std::vector<std::string> resolver_imports(const ElfFile& elf) {
  std::set<std::string> found;
  for (const auto& sym : elf.dynamic_symbols())
    if (!sym.defined() && resolver_symbols().count(sym.name)) found.insert(sym.name);
  return {found.begin(), found.end()};
}

bool is_go(const ElfFile& elf) {
  if (elf.section(".go.buildinfo") || elf.section(".note.go.buildid")) return true;
  for (const auto& note : elf.notes())
    if (note.owner == "Go" && note.type == 4) return true;
  return false;
}

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : separator) + i;
  return s;
}

// Where ld.so would find a DT_NEEDED library, roughly: RUNPATH, then the
// multiarch and plain directories (enough to say which libraries resolve).
std::optional<std::string> locate_library(const std::string& name, const ElfFile& elf,
                                          const std::string& origin_dir) {
  if (name.find('/') != std::string::npos)
    return file_exists(name) ? std::optional(name) : std::nullopt;
  std::vector<std::string> dirs;
  for (std::string p : elf.run_paths()) {
    size_t o = p.find("$ORIGIN");
    if (o != std::string::npos) p.replace(o, 7, origin_dir);
    dirs.push_back(p);
  }
  std::string multiarch = ARESOLV_MULTIARCH;
  for (const char* d : {"/lib/", "/usr/lib/"}) dirs.push_back(d + multiarch);
  for (const char* d : {"/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib32", "/usr/lib32"})
    dirs.push_back(d);
  for (const auto& d : dirs) {
    std::string candidate = d + "/" + name;
    std::string error;
    if (!file_exists(candidate)) continue;
    auto lib = ElfFile::load(candidate, &error);
    if (lib && lib->is_64bit() == elf.is_64bit() && lib->machine() == elf.machine())
      return candidate;
  }
  return std::nullopt;
}

int command_audit(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (args.size() != 1) return usage_error("audit: one binary at a time");
  std::string path = args[0];
  if (path.find('/') == std::string::npos && !file_exists(path)) {
    // A bare command name: look it up in PATH as a shell would.
    const char* search = getenv("PATH");
    std::istringstream dirs(search ? search : "/usr/bin:/bin");
    for (std::string d; std::getline(dirs, d, ':');)
      if (!d.empty() && access((d + "/" + path).c_str(), X_OK) == 0) {
        path = d + "/" + path;
        break;
      }
  }
  std::string error;
  auto elf = ElfFile::load(path, &error);
  if (!elf) {
    std::cerr << "aresolv: " << path << ": " << error << "\n";
    return kExitCannot;
  }
  std::cout << path << ": ELF " << (elf->is_64bit() ? "64" : "32") << "-bit "
            << (elf->big_endian() ? "big" : "little") << "-endian " << elf->machine_name() << "\n";
  bool go = is_go(*elf);
  auto imports = resolver_imports(*elf);
  const std::string& interp = elf->interpreter();
  bool shared_library = interp.empty() && elf->type() == ET_DYN && !elf->soname().empty();
  bool dynamic =
      !interp.empty() || (elf->has_dynamic() && (!elf->needed().empty() || shared_library));
  bool musl = interp.find("ld-musl") != std::string::npos;
  std::string self_error;
  auto self = ElfFile::load("/proc/self/exe", &self_error);
  bool same_abi =
      elf->is_64bit() == (sizeof(void*) == 8) &&
      (!self || (self->machine() == elf->machine() && self->big_endian() == elf->big_endian()));

  if (!dynamic) {
    std::cout << "  statically linked" << (go ? " Go program" : "")
              << ": NOT affected by preloading (nor by NSS); its resolver is compiled in\n";
    if (go)
      std::cout << "  Go's pure resolver reads /etc/hosts and resolv.conf itself and never loads "
                   "NSS modules\n";
    return kExitNo;
  }
  if (musl) {
    std::cout << "  dynamically linked against musl (" << interp
              << "): NOT covered; musl's resolver never loads NSS modules, and libaresolv.so is "
                 "built for glibc\n";
    return kExitNo;
  }
  if (!interp.empty()) std::cout << "  interpreter " << interp << "\n";
  if (shared_library) std::cout << "  shared library " << elf->soname() << "\n";
  if (!elf->needed().empty()) std::cout << "  needs " << join(elf->needed()) << "\n";

  if (go) {
    bool cgo_net = std::find(imports.begin(), imports.end(), "getaddrinfo") != imports.end();
    if (!cgo_net) {
      std::cout
          << "  Go program with the pure Go resolver (net without cgo: no getaddrinfo import): "
             "NOT affected by preloading; it never calls libc's resolver nor loads NSS modules\n";
      return kExitNo;
    }
    std::cout
        << "  Go program built with cgo: imports " << join(imports) << "\n"
        << "  covered when Go uses the cgo resolver (GODEBUG=netdns=cgo, or a configuration Go\n"
        << "  cannot handle itself: hosts sources other than files/dns, unknown resolv.conf "
           "options);\n"
        << "  otherwise Go's own resolver answers without libc, and NSS is never loaded either\n";
    return kExitOk;
  }

  std::string origin = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
  if (origin.empty()) origin = ".";
  std::vector<std::string> via;
  for (const auto& needed : elf->needed()) {
    if (needed.rfind("libc.so", 0) == 0 || needed.rfind("ld-linux", 0) == 0) continue;
    auto location = locate_library(needed, *elf, origin);
    if (!location) continue;
    auto lib = ElfFile::load(*location, &error);
    if (!lib) continue;
    auto lib_imports = resolver_imports(*lib);
    if (!lib_imports.empty()) via.push_back(needed + " (" + join(lib_imports) + ")");
  }
  if (!imports.empty()) std::cout << "  imports " << join(imports) << "\n";
  for (const auto& v : via) std::cout << "  through " << v << "\n";
  if (imports.empty() && via.empty())
    std::cout << "  imports no resolver function itself (modules it loads at run time may)\n";
  std::cout << "  covered: dynamically linked against glibc; every resolver call through libc goes "
               "to aresolv";
  if (!same_abi)
    std::cout << "\n  (a " << (elf->is_64bit() ? "64" : "32") << "-bit " << elf->machine_name()
              << " program: it needs a libaresolv.so built for " << elf->machine_name()
              << " in /usr/$LIB)";
  std::cout << "\n";
  return kExitOk;
}

// ---- stats -----------------------------------------------------------------------

struct Mapping {
  uint64_t start = 0, end = 0, offset = 0;
  std::string permissions, path;
};

std::vector<Mapping> read_maps(pid_t pid) {
  std::vector<Mapping> maps;
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(in, line);) {
    Mapping m;
    char perms[8] = {0};
    unsigned long long start, end, offset;
    int path_at = 0;
    if (sscanf(line.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &offset,
               &path_at) < 4)
      continue;
    m.start = start;
    m.end = end;
    m.offset = offset;
    m.permissions = perms;
    if (path_at > 0 && static_cast<size_t>(path_at) < line.size()) m.path = line.substr(path_at);
    maps.push_back(m);
  }
  return maps;
}

bool read_memory(int fd, uint64_t address, void* out, size_t size) {
  ssize_t n = pread(fd, out, size, static_cast<off_t>(address));
  return n == static_cast<ssize_t>(size);
}

bool valid_stats(const aresolv::Stats& s) {
  return memcmp(s.magic, aresolv::kStatsMagic, sizeof s.magic) == 0 &&
         s.version == aresolv::kStatsVersion && s.entry_points == aresolv::kEntryPointCount &&
         s.max_servers == aresolv::kStatsMaxServers && s.shards == aresolv::kStatsShards;
}

int command_stats(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (args.size() != 1) return usage_error("stats: one process id");
  char* end = nullptr;
  long pid = strtol(args[0].c_str(), &end, 10);
  if (*end != '\0' || pid <= 0) return usage_error("stats: '" + args[0] + "' is not a process id");
  std::string proc = "/proc/" + std::to_string(pid);
  if (!file_exists(proc)) {
    std::cerr << "aresolv: no process " << pid << "\n";
    return kExitCannot;
  }
  auto maps = read_maps(static_cast<pid_t>(pid));
  if (maps.empty()) {
    std::cerr << "aresolv: cannot read " << proc << "/maps: " << strerror(errno)
              << " (needs root or the same user)\n";
    return kExitCannot;
  }
  std::string library;
  uint64_t base = 0;
  bool have_base = false;
  for (const auto& m : maps) {
    size_t slash = m.path.rfind('/');
    std::string file = slash == std::string::npos ? m.path : m.path.substr(slash + 1);
    if (file.rfind("libaresolv.so", 0) != 0) continue;
    if (library.empty()) library = m.path;
    if (m.path == library && m.offset == 0 && !have_base) {
      base = m.start;
      have_base = true;
    }
  }
  if (library.empty()) {
    std::cerr << "aresolv: process " << pid << " has no libaresolv.so loaded\n";
    return kExitNo;
  }
  int fd = open((proc + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::cerr << "aresolv: cannot open " << proc << "/mem: " << strerror(errno)
              << " (needs ptrace permission: root, or the same user)\n";
    return kExitCannot;
  }
  auto stats = std::make_unique<aresolv::Stats>();
  bool found = false;
  // The symbol table of the mapped file (read through the process's root, so
  // that a chrooted or containerised process works too).
  std::string error;
  auto elf = ElfFile::load(proc + "/root" + library, &error);
  if (!elf) elf = ElfFile::load(library, &error);
  if (elf && have_base) {
    uint64_t first_load = 0;
    for (const auto& seg : elf->segments())
      if (seg.type == PT_LOAD) {
        first_load = seg.address & ~uint64_t{0xfff};
        break;
      }
    for (const auto& sym : elf->symbols())
      if (sym.name == "aresolv_stats" && sym.defined()) {
        uint64_t address = base - first_load + sym.value;
        found = read_memory(fd, address, stats.get(), sizeof *stats) && valid_stats(*stats);
        break;
      }
  }
  // A stripped library: search its writable mappings for the magic, and the
  // anonymous mapping right after them (its .bss, where the record lives).
  if (!found) {
    uint64_t library_end = 0;
    for (const auto& m : maps) {
      bool writable = m.permissions.find('w') != std::string::npos;
      bool own = m.path == library;
      bool own_bss = m.path.empty() && m.start == library_end;
      if (own) library_end = m.end;
      if (!writable || (!own && !own_bss)) continue;
      std::vector<char> data(m.end - m.start);
      if (!read_memory(fd, m.start, data.data(), data.size())) continue;
      for (size_t at = 0; at + sizeof *stats <= data.size(); at += 64) {
        if (memcmp(data.data() + at, aresolv::kStatsMagic, sizeof aresolv::kStatsMagic) != 0)
          continue;
        found = read_memory(fd, m.start + at, stats.get(), sizeof *stats) && valid_stats(*stats);
        if (found) break;
      }
      if (found) break;
    }
  }
  close(fd);
  if (!found) {
    std::cerr << "aresolv: no counters of a matching version found in " << library
              << " (no lookup yet in that process, or a different aresolv version?)\n";
    return kExitCannot;
  }

  const aresolv::StatsTotals s = aresolv::sum_stats(*stats);
  std::cout << "process " << pid << ", " << library << "\n\n";
  char line[200];
  snprintf(line, sizeof line, "%-16s %10s %10s %14s\n", "ENTRY POINT", "CALLS", "FAILED",
           "AVERAGE");
  std::cout << line;
  for (int i = 0; i < aresolv::kEntryPointCount; ++i) {
    uint64_t calls = s.calls[i], failures = s.failures[i], timed = s.timed_calls[i];
    uint64_t average = timed ? s.total_time_ns[i] / timed / 1000 : 0;
    snprintf(line, sizeof line, "%-16s %10llu %10llu %14s\n",
             aresolv::entry_point_name(static_cast<aresolv::EntryPoint>(i)),
             static_cast<unsigned long long>(calls), static_cast<unsigned long long>(failures),
             timed ? ms_text(average).c_str() : "-");
    std::cout << line;
  }
  std::cout << "\nanswers by source:";
  for (int i = 0; i < 6; ++i)
    std::cout << " " << aresolv::answer_source_name(static_cast<aresolv::AnswerSource>(i)) << "="
              << s.by_source[i];
  std::cout << "\nDNS cache: " << s.cache_hits << " hits, " << s.cache_misses << " misses\n\n";
  snprintf(line, sizeof line, "%-30s %8s %8s %8s %8s %12s %12s\n", "NAME SERVER", "QUERIES",
           "ANSWERED", "TIMEOUTS", "ERRORS", "AVG LATENCY", "MAX LATENCY");
  std::cout << line;
  bool any = false;
  for (const auto& server : stats->servers) {
    if (server.state.load() != 2) continue;
    any = true;
    aresolv::Address a = {};
    a.family = static_cast<int>(server.family);
    memcpy(a.bytes, server.address, 16);
    std::string name = address_text(a);
    if (server.port != 53) name += " port " + std::to_string(server.port);
    uint64_t answered = server.answered.load();
    snprintf(line, sizeof line, "%-30s %8llu %8llu %8llu %8llu %12s %12s\n", name.c_str(),
             static_cast<unsigned long long>(server.visits.load()),
             static_cast<unsigned long long>(answered),
             static_cast<unsigned long long>(server.timeouts.load()),
             static_cast<unsigned long long>(server.errors.load()),
             answered ? ms_text(server.latency_total_us.load() / answered).c_str() : "-",
             answered ? ms_text(server.latency_max_us.load()).c_str() : "-");
    std::cout << line;
  }
  if (!any) std::cout << "(no DNS query sent yet)\n";
  if (stats->servers_untracked.load())
    std::cout << stats->servers_untracked.load() << " queries to further servers not itemised\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "-V" || command == "version") {
    std::cout << "aresolv " << ARESOLV_VERSION << " (c-ares " << ares_version(nullptr)
              << ", built for glibc " << __GLIBC__ << "." << __GLIBC_MINOR__ << ")\n";
    return kExitOk;
  }
  if (command == "resolve") return command_resolve(rest);
  if (command == "run") return command_run(rest);
  if (command == "doctor") return command_doctor(rest);
  if (command == "audit") return command_audit(rest);
  if (command == "stats") return command_stats(rest);
  return usage_error("unknown command '" + command + "'");
}
