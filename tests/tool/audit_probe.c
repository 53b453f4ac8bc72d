/* A program that resolves a name through libc, for `aresolv audit`: built
   dynamically for other architectures (an s390x one is big-endian) and
   statically against glibc and musl. */
#include <netdb.h>
#include <stdio.h>

int main(int argc, char** argv) {
  struct addrinfo* list = NULL;
  int rc = getaddrinfo(argc > 1 ? argv[1] : "localhost", NULL, NULL, &list);
  if (rc != 0) {
    fprintf(stderr, "%s\n", gai_strerror(rc));
    return 1;
  }
  freeaddrinfo(list);
  return 0;
}
