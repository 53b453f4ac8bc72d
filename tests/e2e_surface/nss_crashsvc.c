/* A services NSS module that crashes in every lookup, as libnss_crash.so.2
   does for hosts: with `services: crashsvc files`, glibc's getaddrinfo with a
   named service and getnameinfo without NI_NUMERICSERV die in it, which shows
   that libaresolv.so (its own /etc/services parser) never goes that way. */
#include <netdb.h>
#include <nss.h>
#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

static enum nss_status crash(void) {
  volatile const uintptr_t bad_address = 0x10;
  return (enum nss_status)(*(volatile int*)bad_address);
}

EXPORT enum nss_status _nss_crashsvc_getservbyname_r(const char* name, const char* proto,
                                                     struct servent* result, char* buffer,
                                                     size_t buflen, int* errnop) {
  return crash();
}

EXPORT enum nss_status _nss_crashsvc_getservbyport_r(int port, const char* proto,
                                                     struct servent* result, char* buffer,
                                                     size_t buflen, int* errnop) {
  return crash();
}
