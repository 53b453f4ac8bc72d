/* fault_probe: runs lookups read from stdin, one per line, and prints one
 * result line for each, so that one process can keep resolving while the
 * test changes the world around it.
 *
 * Not linked to aresolv: the fault tests run it as is (glibc) and with
 * LD_PRELOAD=libaresolv.so, and compare the lines.
 *
 *   gai NAME FAMILY       getaddrinfo(NAME, NULL, {FAMILY, SOCK_STREAM,
 *                         AI_CANONNAME}); FAMILY is AF_UNSPEC, AF_INET or AF_INET6
 *   ghbn NAME             gethostbyname(NAME)
 *   ghbn2 NAME FAMILY     gethostbyname2(NAME, FAMILY)
 *   res NAME TYPE         res_search(NAME, C_IN, TYPE (a number), 64 KiB buffer)
 *
 * Output: "<result>\t<milliseconds>", where <result> is e.g.
 *   "ret=0 canon=a.test addrs=192.0.2.1,2001:db8::1"
 *   "ret=EAI_AGAIN"   (errno is added for EAI_SYSTEM)
 *   "h_errno=0 name=a.test aliases= addrs=192.0.2.1"
 *   "res=-1 h_errno=TRY_AGAIN" / "res=57 h_errno=0 rcode=0 ancount=1"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_family(const char *text) {
  if (strcmp(text, "AF_INET") == 0) return AF_INET;
  if (strcmp(text, "AF_INET6") == 0) return AF_INET6;
  return AF_UNSPEC;
}

static const char *eai_name(int code) {
  switch (code) {
    case 0: return "0";
    case EAI_BADFLAGS: return "EAI_BADFLAGS";
    case EAI_NONAME: return "EAI_NONAME";
    case EAI_AGAIN: return "EAI_AGAIN";
    case EAI_FAIL: return "EAI_FAIL";
    case EAI_FAMILY: return "EAI_FAMILY";
    case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
    case EAI_SERVICE: return "EAI_SERVICE";
    case EAI_MEMORY: return "EAI_MEMORY";
    case EAI_SYSTEM: return "EAI_SYSTEM";
    case EAI_OVERFLOW: return "EAI_OVERFLOW";
    case EAI_NODATA: return "EAI_NODATA";
    case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
  }
  return "EAI_?";
}

static const char *herrno_name(int code) {
  switch (code) {
    case 0: return "0";
    case HOST_NOT_FOUND: return "HOST_NOT_FOUND";
    case TRY_AGAIN: return "TRY_AGAIN";
    case NO_RECOVERY: return "NO_RECOVERY";
    case NO_DATA: return "NO_DATA";
    case NETDB_INTERNAL: return "NETDB_INTERNAL";
  }
  return "?";
}

static void print_address(int family, const void *bytes) {
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family, bytes, text, sizeof text);
  fputs(text, stdout);
}

static void run_gai(const char *name, const char *family_text) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = parse_family(family_text);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  errno = 0;
  int ret = getaddrinfo(name, NULL, &hints, &res);
  int saved_errno = errno;
  printf("ret=%s", eai_name(ret));
  if (ret == EAI_SYSTEM) printf(" errno=%d", saved_errno);
  if (ret == 0) {
    printf(" canon=%s addrs=", res->ai_canonname ? res->ai_canonname : "(null)");
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
      if (ai != res) putchar(',');
      if (ai->ai_family == AF_INET)
        print_address(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr);
      else if (ai->ai_family == AF_INET6)
        print_address(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
      else
        printf("family%d", ai->ai_family);
    }
    freeaddrinfo(res);
  }
}

static void print_hostent(const struct hostent *he) {
  printf("h_errno=0 name=%s aliases=", he->h_name);
  for (char **alias = he->h_aliases; *alias != NULL; ++alias)
    printf("%s%s", alias == he->h_aliases ? "" : ",", *alias);
  printf(" addrs=");
  for (char **addr = he->h_addr_list; *addr != NULL; ++addr) {
    if (addr != he->h_addr_list) putchar(',');
    print_address(he->h_addrtype, *addr);
  }
}

static void run_ghbn(const char *name, const char *family_text) {
  h_errno = 0;
  struct hostent *he =
      family_text ? gethostbyname2(name, parse_family(family_text)) : gethostbyname(name);
  if (he == NULL)
    printf("h_errno=%s", herrno_name(h_errno));
  else
    print_hostent(he);
}

static void run_res(const char *name, const char *type_text) {
  static unsigned char answer[65536];
  h_errno = 0;
  int n = res_search(name, C_IN, atoi(type_text), answer, sizeof answer);
  printf("res=%d h_errno=%s", n, herrno_name(n < 0 ? h_errno : 0));
  if (n >= HFIXEDSZ)
    printf(" rcode=%d ancount=%d", answer[3] & 0x0f, (answer[6] << 8) | answer[7]);
}

int main(void) {
  char line[1024];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin) != NULL) {
    char command[16], arg1[512], arg2[64];
    int fields = sscanf(line, "%15s %511s %63s", command, arg1, arg2);
    if (fields < 2) {
      if (fields >= 1) printf("bad command\t0\n");
      continue;
    }
    long start = now_ms();
    if (strcmp(command, "gai") == 0)
      run_gai(arg1, fields >= 3 ? arg2 : "AF_UNSPEC");
    else if (strcmp(command, "ghbn") == 0)
      run_ghbn(arg1, NULL);
    else if (strcmp(command, "ghbn2") == 0)
      run_ghbn(arg1, fields >= 3 ? arg2 : "AF_INET");
    else if (strcmp(command, "res") == 0)
      run_res(arg1, fields >= 3 ? arg2 : "1");
    else
      printf("bad command");
    printf("\t%ld\n", now_ms() - start);
  }
  return 0;
}
