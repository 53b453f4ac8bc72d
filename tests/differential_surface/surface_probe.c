/* surface_probe: runs gethostbyname*, gethostbyaddr* for query lines read
 * from stdin and prints one comparable text block per query. Like gai_probe
 * it is not linked against aresolv: the runner runs it with and without
 * LD_PRELOAD and compares the blocks.
 *
 * Query lines (fields separated by blanks; '#' lines and blank lines skipped):
 *   gethostbyname NAME
 *   gethostbyname2 NAME FAMILY
 *   gethostbyname_r NAME BUFLEN
 *   gethostbyname2_r NAME FAMILY BUFLEN
 *   gethostbyaddr ADDRESS FAMILY [LEN]
 *   gethostbyaddr_r ADDRESS FAMILY LEN BUFLEN
 *   getnameinfo ADDRESS FAMILY PORT SCOPE SALEN HOSTLEN SERVLEN FLAGS
 * FAMILY is AF_INET, AF_INET6, AF_UNSPEC, AF_LOCAL or a number; ADDRESS is
 * parsed as IPv6 when it contains ':' (else IPv4); LEN "-" means the address
 * size. NAME "\e" is the empty string.
 * getnameinfo: the sockaddr is a sockaddr_in6 when ADDRESS contains ':', a
 * sockaddr_un with ADDRESS as sun_path for AF_LOCAL, else a sockaddr_in; its
 * sa_family is FAMILY. ADDRESS "NULL" passes a null pointer. SCOPE is a
 * number or an interface name; SALEN "-" is the sockaddr's size; HOSTLEN and
 * SERVLEN "N" pass a null buffer; FLAGS is a number or NI_* names joined by
 * '|'. Buffers are filled with '@' first; the block shows them up to their
 * terminator (or their whole length, or "untouched") with errno and h_errno (both set to a
 * sentinel before the call).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *errno_name(int e) {
  switch (e) {
    case 0:
      return "0";
    case ERANGE:
      return "ERANGE";
    case EAGAIN:
      return "EAGAIN";
    case ENOENT:
      return "ENOENT";
    case EINVAL:
      return "EINVAL";
    case EAFNOSUPPORT:
      return "EAFNOSUPPORT";
    case ENOMEM:
      return "ENOMEM";
    case ETIMEDOUT:
      return "ETIMEDOUT";
    case ECONNREFUSED:
      return "ECONNREFUSED";
    case EBADMSG:
      return "EBADMSG";
    case ENOSPC:
      return "ENOSPC";
    case ENXIO:
      return "ENXIO";
    case ENODEV:
      return "ENODEV";
    default: {
      static char buf[32];
      snprintf(buf, sizeof buf, "%d", e);
      return buf;
    }
  }
}

static const char *herrno_name(int h) {
  switch (h) {
    case NETDB_INTERNAL:
      return "NETDB_INTERNAL";
    case NETDB_SUCCESS:
      return "NETDB_SUCCESS";
    case HOST_NOT_FOUND:
      return "HOST_NOT_FOUND";
    case TRY_AGAIN:
      return "TRY_AGAIN";
    case NO_RECOVERY:
      return "NO_RECOVERY";
    case NO_DATA:
      return "NO_DATA";
    default: {
      static char buf[32];
      snprintf(buf, sizeof buf, "%d", h);
      return buf;
    }
  }
}

static int parse_family(const char *s) {
  if (!strcmp(s, "AF_INET")) return AF_INET;
  if (!strcmp(s, "AF_INET6")) return AF_INET6;
  if (!strcmp(s, "AF_UNSPEC")) return AF_UNSPEC;
  if (!strcmp(s, "AF_LOCAL")) return AF_LOCAL;
  return atoi(s);
}

static const char *eai_name(int e) {
  switch (e) {
    case 0:
      return "0";
    case EAI_BADFLAGS:
      return "EAI_BADFLAGS";
    case EAI_NONAME:
      return "EAI_NONAME";
    case EAI_AGAIN:
      return "EAI_AGAIN";
    case EAI_FAIL:
      return "EAI_FAIL";
    case EAI_FAMILY:
      return "EAI_FAMILY";
    case EAI_SOCKTYPE:
      return "EAI_SOCKTYPE";
    case EAI_SERVICE:
      return "EAI_SERVICE";
    case EAI_MEMORY:
      return "EAI_MEMORY";
    case EAI_SYSTEM:
      return "EAI_SYSTEM";
    case EAI_OVERFLOW:
      return "EAI_OVERFLOW";
    case EAI_NODATA:
      return "EAI_NODATA";
    case EAI_ADDRFAMILY:
      return "EAI_ADDRFAMILY";
    case EAI_IDN_ENCODE:
      return "EAI_IDN_ENCODE";
    default: {
      static char buf[32];
      snprintf(buf, sizeof buf, "%d", e);
      return buf;
    }
  }
}

static int parse_ni_flags(const char *s) {
  static const struct {
    const char *name;
    int value;
  } names[] = {{"NI_NUMERICHOST", NI_NUMERICHOST},
               {"NI_NUMERICSERV", NI_NUMERICSERV},
               {"NI_NOFQDN", NI_NOFQDN},
               {"NI_NAMEREQD", NI_NAMEREQD},
               {"NI_DGRAM", NI_DGRAM},
               {"NI_IDN", NI_IDN}};
  int flags = 0;
  char copy[256];
  snprintf(copy, sizeof copy, "%s", s);
  for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok;
       tok = strtok_r(NULL, "|", &save)) {
    int known = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
      if (!strcmp(tok, names[i].name)) {
        flags |= names[i].value;
        known = 1;
      }
    if (!known) flags |= (int)strtol(tok, NULL, 0);
  }
  return flags;
}

/* A buffer's text up to its terminator or its end, with '@' left where the
 * call wrote nothing. */
static void print_buffer(const char *label, const char *buf, long len) {
  if (len < 0) {
    printf("%s NULL\n", label);
    return;
  }
  long untouched = 0;
  while (untouched < (len ? len : 1) && buf[untouched] == '@') ++untouched;
  if (untouched == (len ? len : 1)) {
    printf("%s untouched (%ld)\n", label, len);
    return;
  }
  printf("%s [", label);
  long i = 0;
  for (; i < len && buf[i]; ++i) putchar(buf[i]);
  printf("]%s\n", i < len ? "" : " unterminated");
}

static void run_getnameinfo(char **fields, int count) {
  if (count < 9) {
    printf("bad getnameinfo line\n");
    return;
  }
  const char *address = fields[1];
  int family = parse_family(fields[2]);
  unsigned port = (unsigned)strtoul(fields[3], NULL, 0);
  union {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct sockaddr_un un;
    struct sockaddr_storage storage;
  } sa;
  memset(&sa, 0, sizeof sa);
  socklen_t size;
  if (family == AF_LOCAL) {
    snprintf(sa.un.sun_path, sizeof sa.un.sun_path, "%s", address);
    size = sizeof sa.un;
  } else if (strchr(address, ':')) {
    if (inet_pton(AF_INET6, address, &sa.in6.sin6_addr) != 1) {
      printf("bad address\n");
      return;
    }
    sa.in6.sin6_port = htons(port);
    const char *scope = fields[4];
    if (scope[0] >= '0' && scope[0] <= '9')
      sa.in6.sin6_scope_id = (uint32_t)strtoul(scope, NULL, 10);
    else
      sa.in6.sin6_scope_id = if_nametoindex(scope);
    size = sizeof sa.in6;
  } else if (strcmp(address, "NULL")) {
    if (inet_pton(AF_INET, address, &sa.in.sin_addr) != 1) {
      printf("bad address\n");
      return;
    }
    sa.in.sin_port = htons(port);
    size = sizeof sa.in;
  } else {
    size = sizeof sa.in;
  }
  sa.sa.sa_family = (sa_family_t)family;
  if (strcmp(fields[5], "-")) size = (socklen_t)strtoul(fields[5], NULL, 10);
  long hostlen = strcmp(fields[6], "N") ? strtol(fields[6], NULL, 10) : -1;
  long servlen = strcmp(fields[7], "N") ? strtol(fields[7], NULL, 10) : -1;
  int flags = parse_ni_flags(fields[8]);
  char *host = hostlen >= 0 ? malloc(hostlen ? hostlen : 1) : NULL;
  char *serv = servlen >= 0 ? malloc(servlen ? servlen : 1) : NULL;
  if (host) memset(host, '@', hostlen ? hostlen : 1);
  if (serv) memset(serv, '@', servlen ? servlen : 1);
  errno = 4242;
  h_errno = -12345;
  int ret = getnameinfo(strcmp(address, "NULL") ? &sa.sa : NULL, size, host,
                        hostlen > 0 ? (socklen_t)hostlen : 0, serv,
                        servlen > 0 ? (socklen_t)servlen : 0, flags);
  int e = errno;
  printf("ret %s errno %s h_errno %s\n", eai_name(ret), e == 4242 ? "unchanged" : errno_name(e),
         h_errno == -12345 ? "unchanged" : herrno_name(h_errno));
  print_buffer("host", host, hostlen);
  print_buffer("serv", serv, servlen);
  free(host);
  free(serv);
}

static void print_hostent(const struct hostent *h) {
  if (!h) {
    printf("result NULL\n");
    return;
  }
  printf("name %s\n", h->h_name ? h->h_name : "(null)");
  for (char **a = h->h_aliases; a && *a; ++a) printf("alias %s\n", *a);
  printf("addrtype %d length %d\n", h->h_addrtype, h->h_length);
  for (char **a = h->h_addr_list; a && *a; ++a) {
    char text[INET6_ADDRSTRLEN + 8];
    if ((h->h_addrtype == AF_INET && h->h_length == 4) ||
        (h->h_addrtype == AF_INET6 && h->h_length == 16)) {
      inet_ntop(h->h_addrtype, *a, text, sizeof text);
      printf("addr %s\n", text);
    } else {
      printf("addr");
      for (int i = 0; i < h->h_length; ++i) printf(" %02x", (unsigned char)(*a)[i]);
      printf("\n");
    }
  }
}

int main(void) {
  char line[2048];
  int n = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#') continue;
    char copy[2048];
    strcpy(copy, line);
    char *fields[10] = {0};
    int count = 0;
    for (char *tok = strtok(copy, " \t"); tok && count < 10; tok = strtok(NULL, " \t"))
      fields[count++] = tok;
    if (count < 2) continue;
    const char *op = fields[0];
    const char *name = strcmp(fields[1], "\\e") == 0 ? "" : fields[1];
    printf("### %d %s\n", ++n, line);
    struct hostent hbuf, *result = NULL;
    int herr = -12345;
    h_errno = -12345;
    errno = 0;
    if (!strcmp(op, "getnameinfo")) {
      run_getnameinfo(fields, count);
    } else if (!strcmp(op, "gethostbyname") || !strcmp(op, "gethostbyname2")) {
      struct hostent *h = !strcmp(op, "gethostbyname")
                              ? gethostbyname(name)
                              : gethostbyname2(name, parse_family(fields[2]));
      int e = errno;
      printf("h_errno %s errno %s\n", herrno_name(h_errno), errno_name(h ? 0 : e));
      print_hostent(h);
    } else if (!strcmp(op, "gethostbyname_r") || !strcmp(op, "gethostbyname2_r")) {
      int is2 = !strcmp(op, "gethostbyname2_r");
      size_t buflen = strtoul(fields[is2 ? 3 : 2], NULL, 10);
      char *buf = malloc(buflen ? buflen : 1);
      int ret =
          is2 ? gethostbyname2_r(name, parse_family(fields[2]), &hbuf, buf, buflen, &result, &herr)
              : gethostbyname_r(name, &hbuf, buf, buflen, &result, &herr);
      int e = errno;
      printf("ret %s errno %s h_errno %s\n", errno_name(ret), errno_name(e), herrno_name(herr));
      print_hostent(result);
      free(buf);
    } else if (!strcmp(op, "gethostbyaddr") || !strcmp(op, "gethostbyaddr_r")) {
      unsigned char addr[16] = {0};
      int is6 = strchr(name, ':') != NULL;
      if (inet_pton(is6 ? AF_INET6 : AF_INET, name, addr) != 1) {
        printf("bad address\n");
        continue;
      }
      int family = parse_family(fields[2]);
      socklen_t len = is6 ? 16 : 4;
      if (count > 3 && strcmp(fields[3], "-")) len = (socklen_t)atoi(fields[3]);
      if (!strcmp(op, "gethostbyaddr")) {
        struct hostent *h = gethostbyaddr(addr, len, family);
        int e = errno;
        printf("h_errno %s errno %s\n", herrno_name(h_errno), errno_name(h ? 0 : e));
        print_hostent(h);
      } else {
        size_t buflen = count > 4 ? strtoul(fields[4], NULL, 10) : 1024;
        char *buf = malloc(buflen ? buflen : 1);
        int ret = gethostbyaddr_r(addr, len, family, &hbuf, buf, buflen, &result, &herr);
        int e = errno;
        printf("ret %s errno %s h_errno %s\n", errno_name(ret), errno_name(e), herrno_name(herr));
        print_hostent(result);
        free(buf);
      }
    } else {
      printf("unknown operation\n");
    }
    printf("end\n");
  }
  return 0;
}
