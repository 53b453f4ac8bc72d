/* A hosts NSS module that crashes in every lookup, standing in for the broken
   sw64 NSS path: glibc's getaddrinfo/gethostbyname* call into it and the
   process dies with SIGSEGV. With libaresolv.so preloaded, no program may ever
   get here. Built as libnss_crash.so.2; glibc finds it through
   LD_LIBRARY_PATH when nsswitch.conf says `hosts: crash files dns`. */
#include <netdb.h>
#include <nss.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define EXPORT __attribute__((visibility("default")))

/* A wild pointer read, as a corrupted function table or stale pointer would
   do; volatile keeps the compiler from proving it away. */
static enum nss_status crash(void) {
  volatile const uintptr_t bad_address = 0x10;
  return (enum nss_status)(*(volatile int*)bad_address);
}

struct gaih_addrtuple;

EXPORT enum nss_status _nss_crash_gethostbyname4_r(const char* name, struct gaih_addrtuple** pat,
                                                   char* buffer, size_t buflen, int* errnop,
                                                   int* h_errnop, int32_t* ttlp) {
  return crash();
}

EXPORT enum nss_status _nss_crash_gethostbyname3_r(const char* name, int af, struct hostent* host,
                                                   char* buffer, size_t buflen, int* errnop,
                                                   int* h_errnop, int32_t* ttlp, char** canonp) {
  return crash();
}

EXPORT enum nss_status _nss_crash_gethostbyname2_r(const char* name, int af, struct hostent* host,
                                                   char* buffer, size_t buflen, int* errnop,
                                                   int* h_errnop) {
  return crash();
}

EXPORT enum nss_status _nss_crash_gethostbyname_r(const char* name, struct hostent* host,
                                                  char* buffer, size_t buflen, int* errnop,
                                                  int* h_errnop) {
  return crash();
}

EXPORT enum nss_status _nss_crash_gethostbyaddr2_r(const void* addr, socklen_t len, int af,
                                                   struct hostent* host, char* buffer,
                                                   size_t buflen, int* errnop, int* h_errnop,
                                                   int32_t* ttlp) {
  return crash();
}

EXPORT enum nss_status _nss_crash_gethostbyaddr_r(const void* addr, socklen_t len, int af,
                                                  struct hostent* host, char* buffer, size_t buflen,
                                                  int* errnop, int* h_errnop) {
  return crash();
}
