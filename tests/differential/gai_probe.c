/* gai_probe: runs getaddrinfo() for query lines read from stdin and prints
 * one canonical, comparable text block per query.
 *
 * The probe is deliberately NOT linked against aresolv: the differential
 * test runs it once against plain glibc and once with LD_PRELOAD pointing at
 * libaresolv.so, then compares the blocks.
 *
 * Input format (one query per line; blank lines and lines starting with '#'
 * are ignored; fields are separated by spaces or tabs):
 *
 *     NODE SERVICE -
 *     NODE SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS
 *
 *   NODE, SERVICE  "-" means a NULL pointer.  Otherwise the token is the
 *                  string, with escapes: "\e" (the whole token) is the empty
 *                  string, "\-" is a literal "-", "\s" a space, "\t" a tab,
 *                  "\\" a backslash, "\xHH" any byte.
 *   "-"            as third and last field: NULL hints.
 *   FAMILY         AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX, AF_PACKET or a
 *                  decimal number.
 *   SOCKTYPE       0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM,
 *                  SOCK_SEQPACKET, SOCK_DCCP, SOCK_PACKET or a number.
 *   PROTOCOL       0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_UDPLITE,
 *                  IPPROTO_DCCP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_RAW or a
 *                  number.
 *   FLAGS          0, or AI_* names and numbers (0x.. allowed) joined by '|'.
 *
 * Options: --input FILE (default stdin), --output FILE (default stdout),
 * --skip N (skip the first N queries; numbering still counts them, so a
 * run can be resumed after a crash), --timeout SECONDS.
 *
 * The output starts with "# getaddrinfo from <object>" and
 * "# freeaddrinfo from <object>" lines naming where the calls bind.
 *
 * Output per query (numbered from 1 in input order):
 *
 *     ### <n> <the input line as read>
 *     ret <EAI name>[ errno=<E name>] res=<set|NULL|unchanged>
 *     [<i>] <family> <socktype> <protocol> addr=<text> port=<p> ...
 *     end
 *
 * Each node line also shows ai_addrlen, ai_flags, ai_canonname (on every node
 * where it is non-NULL) and a layout verdict: "layout=ok" when the node is
 * freeable the way glibc's freeaddrinfo frees it (node and sockaddr in one
 * malloc block with ai_addr just past the struct addrinfo, ai_canonname a
 * separate malloc block not shared with another node), else the problems.
 * When every node is laid out that way, every second list is freed with
 * libc's own freeaddrinfo (looked up in libc.so.6 itself, bypassing any
 * preload), proving the list really is glibc-freeable; the other lists go
 * through the ordinary (possibly interposed) freeaddrinfo.
 *
 * A query that takes longer than --timeout seconds (default 30) prints
 * "TIMEOUT" and ends the probe with status 124; a crash leaves the block
 * without its "end" line.
 *
 * Exit status: 0 after the last query, 2 on a malformed input line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct named_value {
  const char *name;
  long value;
};

static const struct named_value kFamilies[] = {{"AF_UNSPEC", AF_UNSPEC}, {"AF_INET", AF_INET},
                                               {"AF_INET6", AF_INET6},   {"AF_UNIX", AF_UNIX},
                                               {"AF_PACKET", AF_PACKET}, {NULL, 0}};

static const struct named_value kSocktypes[] = {{"SOCK_STREAM", SOCK_STREAM},
                                                {"SOCK_DGRAM", SOCK_DGRAM},
                                                {"SOCK_RAW", SOCK_RAW},
                                                {"SOCK_RDM", SOCK_RDM},
                                                {"SOCK_SEQPACKET", SOCK_SEQPACKET},
                                                {"SOCK_DCCP", SOCK_DCCP},
                                                {"SOCK_PACKET", SOCK_PACKET},
                                                {NULL, 0}};

static const struct named_value kProtocols[] = {
    {"IPPROTO_TCP", IPPROTO_TCP},       {"IPPROTO_UDP", IPPROTO_UDP},
    {"IPPROTO_SCTP", IPPROTO_SCTP},     {"IPPROTO_UDPLITE", IPPROTO_UDPLITE},
    {"IPPROTO_DCCP", IPPROTO_DCCP},     {"IPPROTO_ICMP", IPPROTO_ICMP},
    {"IPPROTO_ICMPV6", IPPROTO_ICMPV6}, {"IPPROTO_RAW", IPPROTO_RAW},
    {"IPPROTO_IPV6", IPPROTO_IPV6},     {NULL, 0}};

/* Spelled as numbers so the deprecated IDN flags do not warn. */
static const struct named_value kFlags[] = {{"AI_PASSIVE", 0x0001},
                                            {"AI_CANONNAME", 0x0002},
                                            {"AI_NUMERICHOST", 0x0004},
                                            {"AI_V4MAPPED", 0x0008},
                                            {"AI_ALL", 0x0010},
                                            {"AI_ADDRCONFIG", 0x0020},
                                            {"AI_IDN", 0x0040},
                                            {"AI_CANONIDN", 0x0080},
                                            {"AI_IDN_ALLOW_UNASSIGNED", 0x0100},
                                            {"AI_IDN_USE_STD3_ASCII_RULES", 0x0200},
                                            {"AI_NUMERICSERV", 0x0400},
                                            {NULL, 0}};

static const struct named_value kEaiCodes[] = {{"0", 0},
                                               {"EAI_BADFLAGS", EAI_BADFLAGS},
                                               {"EAI_NONAME", EAI_NONAME},
                                               {"EAI_AGAIN", EAI_AGAIN},
                                               {"EAI_FAIL", EAI_FAIL},
                                               {"EAI_NODATA", EAI_NODATA},
                                               {"EAI_FAMILY", EAI_FAMILY},
                                               {"EAI_SOCKTYPE", EAI_SOCKTYPE},
                                               {"EAI_SERVICE", EAI_SERVICE},
                                               {"EAI_ADDRFAMILY", EAI_ADDRFAMILY},
                                               {"EAI_MEMORY", EAI_MEMORY},
                                               {"EAI_SYSTEM", EAI_SYSTEM},
                                               {"EAI_OVERFLOW", EAI_OVERFLOW},
                                               {"EAI_INPROGRESS", EAI_INPROGRESS},
                                               {"EAI_CANCELED", EAI_CANCELED},
                                               {"EAI_NOTCANCELED", EAI_NOTCANCELED},
                                               {"EAI_ALLDONE", EAI_ALLDONE},
                                               {"EAI_INTR", EAI_INTR},
                                               {"EAI_IDN_ENCODE", EAI_IDN_ENCODE},
                                               {NULL, 0}};

static const char *name_of(const struct named_value *table, long value) {
  for (; table->name != NULL; ++table)
    if (table->value == value) return table->name;
  return NULL;
}

static void print_named(const struct named_value *table, long value) {
  const char *name = name_of(table, value);
  if (name != NULL)
    fputs(name, stdout);
  else
    printf("%ld", value);
}

static void print_flags(int flags) {
  int printed = 0;
  for (const struct named_value *f = kFlags; f->name != NULL; ++f) {
    if (flags & f->value) {
      printf("%s%s", printed ? "|" : "", f->name);
      flags &= ~(int)f->value;
      printed = 1;
    }
  }
  if (flags != 0)
    printf(printed ? "|0x%x" : "0x%x", (unsigned)flags);
  else if (!printed)
    putchar('0');
}

/* Returns 0 on success. Accepts a name from the table or a number. */
static int parse_named(const struct named_value *table, const char *token, long *value) {
  for (; table->name != NULL; ++table) {
    if (strcmp(table->name, token) == 0) {
      *value = table->value;
      return 0;
    }
  }
  char *end = NULL;
  errno = 0;
  long number = strtol(token, &end, 0);
  if (errno != 0 || end == token || *end != '\0') return -1;
  *value = number;
  return 0;
}

static int parse_flags(const char *token, int *flags) {
  char buffer[512];
  if (strlen(token) >= sizeof buffer) return -1;
  strcpy(buffer, token);
  *flags = 0;
  char *save = NULL;
  for (char *part = strtok_r(buffer, "|", &save); part != NULL; part = strtok_r(NULL, "|", &save)) {
    long value = 0;
    if (parse_named(kFlags, part, &value) != 0) return -1;
    *flags |= (int)value;
  }
  return 0;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes a NODE/SERVICE token. Returns 0 and sets *is_null or fills out. */
static int decode_string(const char *token, char *out, size_t out_size, int *is_null) {
  *is_null = 0;
  if (strcmp(token, "-") == 0) {
    *is_null = 1;
    return 0;
  }
  if (strcmp(token, "\\e") == 0) {
    out[0] = '\0';
    return 0;
  }
  size_t n = 0;
  for (const char *p = token; *p != '\0'; ++p) {
    char c = *p;
    if (c == '\\') {
      ++p;
      switch (*p) {
        case '\\':
          c = '\\';
          break;
        case '-':
          c = '-';
          break;
        case 's':
          c = ' ';
          break;
        case 't':
          c = '\t';
          break;
        case 'x': {
          int hi = hex_digit(p[1]);
          int lo = hi < 0 ? -1 : hex_digit(p[2]);
          if (lo < 0) return -1;
          c = (char)(hi * 16 + lo);
          p += 2;
          break;
        }
        default:
          return -1;
      }
    }
    if (n + 1 >= out_size) return -1;
    out[n++] = c;
  }
  out[n] = '\0';
  return 0;
}

static void print_quoted(const char *s) {
  if (s == NULL) {
    fputs("NULL", stdout);
    return;
  }
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; ++p) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p < 0x20 || *p >= 0x7f)
      printf("\\x%02x", *p);
    else
      putchar(*p);
  }
  putchar('"');
}

/* RFC 5952 text, written here so that an interposed inet_ntop cannot
 * influence what is compared. */
static void print_ipv6(const unsigned char bytes[16]) {
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = (unsigned)bytes[2 * i] << 8 | bytes[2 * i + 1];
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  int v4_tail = best_start == 0 && (best_len == 5 && groups[5] == 0xffff);
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      fputs("::", stdout);
      i += best_len - 1;
      if (v4_tail) {
        printf("ffff:%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
        return;
      }
      continue;
    }
    if (i != 0 && i != best_start + best_len) putchar(':');
    printf("%x", groups[i]);
  }
}

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != 0) return 0;
  return 1;
}

static void print_sockaddr(const struct addrinfo *ai) {
  const struct sockaddr *sa = ai->ai_addr;
  if (sa == NULL) {
    fputs(" addr=NULL", stdout);
    return;
  }
  if (sa->sa_family != ai->ai_family) printf(" sa_family=%d", sa->sa_family);
  if (sa->sa_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
    const unsigned char *a = (const unsigned char *)&sin->sin_addr;
    printf(" addr=%u.%u.%u.%u port=%u", a[0], a[1], a[2], a[3], ntohs(sin->sin_port));
    if (!all_zero(sin->sin_zero, sizeof sin->sin_zero)) fputs(" sin_zero=nonzero", stdout);
  } else if (sa->sa_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
    fputs(" addr=", stdout);
    print_ipv6((const unsigned char *)&sin6->sin6_addr);
    printf(" port=%u flowinfo=%u scope=%u", ntohs(sin6->sin6_port), ntohl(sin6->sin6_flowinfo),
           sin6->sin6_scope_id);
  } else {
    fputs(" addr-bytes=", stdout);
    const unsigned char *p = (const unsigned char *)sa;
    size_t n = ai->ai_addrlen > 128 ? 128 : ai->ai_addrlen;
    for (size_t i = 0; i < n; ++i) printf("%02x", p[i]);
  }
}

/* Checks the node against glibc's freeaddrinfo, which does
 * free(ai->ai_canonname); free(ai); for each node. Appends problems to
 * verdict; returns 1 if the node is glibc-freeable. */
static int check_layout(const struct addrinfo *head, const struct addrinfo *ai, char *verdict,
                        size_t verdict_size) {
  verdict[0] = '\0';
  size_t usable = malloc_usable_size((void *)ai);
  if ((const char *)ai->ai_addr != (const char *)ai + sizeof(struct addrinfo))
    strncat(verdict, ",ai_addr-not-after-node", verdict_size - strlen(verdict) - 1);
  else if (usable < sizeof(struct addrinfo) + ai->ai_addrlen)
    strncat(verdict, ",block-too-small", verdict_size - strlen(verdict) - 1);
  if (ai->ai_canonname != NULL) {
    const char *canon = ai->ai_canonname;
    if (canon >= (const char *)ai && canon < (const char *)ai + usable) {
      strncat(verdict, ",canonname-inside-node", verdict_size - strlen(verdict) - 1);
    } else {
      for (const struct addrinfo *other = head; other != ai; other = other->ai_next) {
        if (other->ai_canonname == canon) {
          strncat(verdict, ",canonname-shared", verdict_size - strlen(verdict) - 1);
          break;
        }
      }
      if (strstr(verdict, "shared") == NULL &&
          malloc_usable_size((void *)canon) < strlen(canon) + 1)
        strncat(verdict, ",canonname-not-own-block", verdict_size - strlen(verdict) - 1);
    }
  }
  if (verdict[0] == '\0') {
    snprintf(verdict, verdict_size, "ok");
    return 1;
  }
  memmove(verdict, verdict + 1, strlen(verdict));
  return 0;
}

typedef void (*freeaddrinfo_fn)(struct addrinfo *);

static freeaddrinfo_fn libc_freeaddrinfo(void) {
  void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
  if (libc == NULL) return NULL;
  return (freeaddrinfo_fn)dlsym(libc, "freeaddrinfo");
}

/* Says which object the calls bind to, so the runner can tell that a
 * preload really took effect. */
static void print_provider(const char *symbol) {
  Dl_info info;
  void *address = dlsym(RTLD_DEFAULT, symbol);
  if (address != NULL && dladdr(address, &info) != 0 && info.dli_fname != NULL)
    printf("# %s from %s\n", symbol, info.dli_fname);
  else
    printf("# %s from unknown\n", symbol);
}

static void on_alarm(int signo) {
  (void)signo;
  static const char kMessage[] = "TIMEOUT\n";
  fflush(stdout);
  (void)!write(STDOUT_FILENO, kMessage, sizeof kMessage - 1);
  _exit(124);
}

enum { kMaxNodes = 4096 };

static void run_query(long number, const char *line, const char *node, const char *service,
                      const struct addrinfo *hints, freeaddrinfo_fn glibc_free, unsigned timeout) {
  printf("### %ld %s\n", number, line);
  fflush(stdout);

  struct addrinfo sentinel;
  struct addrinfo *res = &sentinel;
  errno = 0;
  alarm(timeout);
  int rc = getaddrinfo(node, service, hints, &res);
  int saved_errno = errno;
  alarm(0);

  fputs("ret ", stdout);
  print_named(kEaiCodes, rc);
  if (rc == EAI_SYSTEM) {
    const char *e = strerrorname_np(saved_errno);
    if (e != NULL)
      printf(" errno=%s", e);
    else
      printf(" errno=%d", saved_errno);
  }
  printf(" res=%s\n", res == &sentinel ? "unchanged" : res == NULL ? "NULL" : "set");

  if (rc != 0 || res == &sentinel || res == NULL) {
    if (rc != 0 && res != &sentinel && res != NULL) freeaddrinfo(res);
    puts("end");
    fflush(stdout);
    return;
  }

  int all_ok = 1;
  int index = 0;
  for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next, ++index) {
    if (index >= kMaxNodes) {
      puts("  list-too-long (loop?)");
      all_ok = 0;
      break;
    }
    printf("  [%d] ", index);
    print_named(kFamilies, ai->ai_family);
    putchar(' ');
    if (ai->ai_socktype == 0)
      putchar('0');
    else
      print_named(kSocktypes, ai->ai_socktype);
    putchar(' ');
    if (ai->ai_protocol == 0)
      putchar('0');
    else
      print_named(kProtocols, ai->ai_protocol);
    print_sockaddr(ai);
    printf(" addrlen=%u flags=", (unsigned)ai->ai_addrlen);
    print_flags(ai->ai_flags);
    if (ai->ai_canonname != NULL) {
      fputs(" canon=", stdout);
      print_quoted(ai->ai_canonname);
    }
    char verdict[160];
    if (!check_layout(res, ai, verdict, sizeof verdict)) all_ok = 0;
    printf(" layout=%s\n", verdict);
  }
  puts("end");
  fflush(stdout);

  if (all_ok && glibc_free != NULL && number % 2 == 1)
    glibc_free(res);
  else
    freeaddrinfo(res);
}

static int split_fields(char *line, char **fields, int max_fields) {
  int count = 0;
  char *save = NULL;
  for (char *f = strtok_r(line, " \t", &save); f != NULL; f = strtok_r(NULL, " \t", &save)) {
    if (count == max_fields) return -1;
    fields[count++] = f;
  }
  return count;
}

int main(int argc, char **argv) {
  long skip = 0;
  unsigned timeout = 30;
  const char *input = NULL, *output = NULL;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc) {
      skip = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      timeout = (unsigned)strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--input") == 0 && i + 1 < argc) {
      input = argv[++i];
    } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
      output = argv[++i];
    } else {
      fprintf(stderr,
              "usage: %s [--input FILE] [--output FILE] [--skip N] [--timeout SECONDS]\n"
              "(see the comment at the top of gai_probe.c for the query format)\n",
              argv[0]);
      return 2;
    }
  }
  if (input != NULL && freopen(input, "r", stdin) == NULL) {
    perror(input);
    return 2;
  }
  if (output != NULL && freopen(output, "w", stdout) == NULL) {
    perror(output);
    return 2;
  }
  signal(SIGALRM, on_alarm);
  print_provider("getaddrinfo");
  print_provider("freeaddrinfo");
  freeaddrinfo_fn glibc_free = libc_freeaddrinfo();

  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;
  long line_number = 0;
  long number = 0;
  while ((length = getline(&line, &capacity, stdin)) >= 0) {
    ++line_number;
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
      line[--length] = '\0';
    const char *p = line;
    while (*p == ' ' || *p == '\t') ++p;
    if (*p == '\0' || *p == '#') continue;
    if (++number <= skip) continue;

    char *copy = strdup(line);
    if (copy == NULL) return 3;
    char *fields[8];
    int count = split_fields(copy, fields, 8);
    static char node[8192], service[8192];
    int node_null = 0, service_null = 0;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    const struct addrinfo *hints_ptr = &hints;
    int bad = count != 3 && count != 6;
    if (!bad)
      bad = decode_string(fields[0], node, sizeof node, &node_null) != 0 ||
            decode_string(fields[1], service, sizeof service, &service_null) != 0;
    if (!bad && count == 3) {
      if (strcmp(fields[2], "-") == 0)
        hints_ptr = NULL;
      else
        bad = 1;
    }
    if (!bad && count == 6) {
      long family = 0, socktype = 0, protocol = 0;
      bad = parse_named(kFamilies, fields[2], &family) != 0 ||
            parse_named(kSocktypes, fields[3], &socktype) != 0 ||
            parse_named(kProtocols, fields[4], &protocol) != 0 ||
            parse_flags(fields[5], &hints.ai_flags) != 0;
      hints.ai_family = (int)family;
      hints.ai_socktype = (int)socktype;
      hints.ai_protocol = (int)protocol;
    }
    if (bad) {
      fprintf(stderr, "gai_probe: malformed query on input line %ld: %s\n", line_number, line);
      return 2;
    }
    free(copy);
    run_query(number, p, node_null ? NULL : node, service_null ? NULL : service, hints_ptr,
              glibc_free, timeout);
  }
  free(line);
  return 0;
}
