/* Differential probe of the res_* resolver API: prints, for every case, the
   return value, h_errno and the answer bytes (16-bit ID zeroed), so that a run
   through glibc and a run with libaresolv.so preloaded can be diffed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kNames[] = {
    "a4.test",
    "a6.test",
    "dual.test",
    "cname1.test",
    "cname4.test",
    "cname-nodata.test",
    "cname-cross.test",
    "txtonly.test",
    "mxonly.test",
    "missing.test",
    "intra",
    "shared",
    "dotted.sub",
    "labhost",
    "cname-search",
    "wild.test",
    "x.y.wild.test",
    "big4.test",
    "big6.test",
    "bigdual.test",
    "99.100.51.198.in-addr.arpa",
    "1.100.51.198.in-addr.arpa",
    "5.113.0.203.in-addr.arpa",
    "10.2.0.192.in-addr.arpa",
    "a4.test.",
    "intra.",
    "nosuchlabel",
    "",
    ".",
    "bad..name",
    "local\\.escaped.test",
};
static const int kTypes[] = {ns_t_a, ns_t_aaaa, ns_t_cname, ns_t_mx, ns_t_txt, ns_t_ptr};
static const char *const kTypeNames[] = {"A", "AAAA", "CNAME", "MX", "TXT", "PTR"};
static const int kSizes[] = {12, 40, 100, 512, 1232, 65536};

static unsigned char answer[65536];

static void print_answer(int ret, int size) {
  int n = ret < 0 ? 0 : (ret < size ? ret : size);
  if (n >= 2) answer[0] = answer[1] = 0;
  printf("  ret=%d h_errno=%d bytes=%d\n  ", ret, h_errno, n);
  for (int i = 0; i < n; ++i) printf("%02x", answer[i]);
  printf("\n");
}

static void print_state(const char *what, const struct __res_state *s) {
  printf("state %s: options=%#lx retrans=%d retry=%d ndots=%u nscount=%d nsort=%d\n", what,
         (unsigned long)s->options, s->retrans, s->retry, (unsigned)s->ndots, s->nscount,
         (int)s->nsort);
  for (int i = 0; i < s->nscount && i < MAXNS; ++i) {
    char text[INET6_ADDRSTRLEN] = "";
    if (s->nsaddr_list[i].sin_family == AF_INET)
      inet_ntop(AF_INET, &s->nsaddr_list[i].sin_addr, text, sizeof text);
    else if (s->_u._ext.nsaddrs[i] != NULL)
      inet_ntop(AF_INET6, &s->_u._ext.nsaddrs[i]->sin6_addr, text, sizeof text);
    printf("  ns%d %s port %d\n", i, text, ntohs(s->nsaddr_list[i].sin_port));
  }
  for (int i = 0; i < MAXDNSRCH && s->dnsrch[i] != NULL; ++i)
    printf("  dnsrch%d %s\n", i, s->dnsrch[i]);
}

int main(void) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  /* _res before res_init, then after; res_ninit on a zeroed state. */
  print_state("_res-before", &_res);
  printf("res_init=%d\n", res_init());
  print_state("_res", &_res);
  struct __res_state state;
  memset(&state, 0, sizeof state);
  printf("res_ninit=%d\n", res_ninit(&state));
  print_state("ninit", &state);
  struct __res_state norecurse;
  memset(&norecurse, 0, sizeof norecurse);
  res_ninit(&norecurse);
  norecurse.options &= ~(unsigned long)RES_RECURSE;
  norecurse.retry = 1;

  int total = 0;
  for (size_t n = 0; n < sizeof kNames / sizeof kNames[0]; ++n) {
    const char *name = kNames[n];
    for (size_t t = 0; t < sizeof kTypes / sizeof kTypes[0]; ++t) {
      for (size_t z = 0; z < sizeof kSizes / sizeof kSizes[0]; ++z) {
        int size = kSizes[z];
        int type = kTypes[t];
        int ret;
        printf("case res_search %s %s %d\n", name, kTypeNames[t], size);
        h_errno = 9999;
        ret = res_search(name, ns_c_in, type, answer, size);
        print_answer(ret, size);
        printf("case res_query %s %s %d\n", name, kTypeNames[t], size);
        h_errno = 9999;
        ret = res_query(name, ns_c_in, type, answer, size);
        print_answer(ret, size);
        printf("case res_nsearch %s %s %d\n", name, kTypeNames[t], size);
        h_errno = 9999;
        state.res_h_errno = 9999;
        ret = res_nsearch(&state, name, ns_c_in, type, answer, size);
        print_answer(ret, size);
        printf("  res_h_errno=%d\n", state.res_h_errno);
        total += 3;
        if (z == 3 || z == 5) {
          static const char *const domains[] = {"test", "corp.test", "lab.test."};
          for (int d = 0; d < 3; ++d) {
            printf("case res_querydomain %s %s %s %d\n", name, domains[d], kTypeNames[t], size);
            h_errno = 9999;
            ret = res_querydomain(name, domains[d], ns_c_in, type, answer, size);
            print_answer(ret, size);
            ++total;
          }
          printf("case res_nquery-norecurse %s %s %d\n", name, kTypeNames[t], size);
          h_errno = 9999;
          ret = res_nquery(&norecurse, name, ns_c_in, type, answer, size);
          print_answer(ret, size);
          ++total;
          unsigned char query[512];
          printf("case res_mkquery+res_send %s %s %d\n", name, kTypeNames[t], size);
          h_errno = 9999;
          int qlen =
              res_mkquery(ns_o_query, name, ns_c_in, type, NULL, 0, NULL, query, sizeof query);
          printf("  mkquery=%d ", qlen);
          for (int i = 2; i < qlen; ++i) printf("%02x", query[i]);
          printf("\n");
          if (qlen > 0) {
            ret = res_send(query, qlen, answer, size);
            print_answer(ret, size);
          }
          ++total;
        }
      }
    }
  }
  /* Short query buffers for res_mkquery. */
  for (int size = 0; size <= 40; size += 4) {
    unsigned char query[64];
    int qlen = res_mkquery(ns_o_query, "dual.test", ns_c_in, ns_t_a, NULL, 0, NULL, query, size);
    printf("case res_mkquery-size %d\n  mkquery=%d\n", size, qlen);
    ++total;
  }
  res_nclose(&state);
  res_nclose(&norecurse);
  fprintf(stderr, "cases: %d\n", total);
  return 0;
}
