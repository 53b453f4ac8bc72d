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
 * FAMILY is AF_INET, AF_INET6, AF_UNSPEC or a number; ADDRESS is parsed as
 * IPv6 when it contains ':' (else IPv4); LEN "-" means the address size.
 * NAME "\e" is the empty string.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
  return atoi(s);
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
    char *fields[6] = {0};
    int count = 0;
    for (char *tok = strtok(copy, " \t"); tok && count < 6; tok = strtok(NULL, " \t"))
      fields[count++] = tok;
    if (count < 2) continue;
    const char *op = fields[0];
    const char *name = strcmp(fields[1], "\\e") == 0 ? "" : fields[1];
    printf("### %d %s\n", ++n, line);
    struct hostent hbuf, *result = NULL;
    int herr = -12345;
    h_errno = -12345;
    errno = 0;
    if (!strcmp(op, "gethostbyname") || !strcmp(op, "gethostbyname2")) {
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
