/* Resolves one name, then prints its resident memory in KiB from
 * /proc/self/status: "VmRSS RssAnon RssFile". Run with and without
 * LD_PRELOAD=libaresolv.so to see what the library adds to a process. */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static long status_field(const char *status, const char *field) {
  const char *line = strstr(status, field);
  long value = -1;
  if (line) sscanf(line + strlen(field), " %ld", &value);
  return value;
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "dual.test";
  struct addrinfo hints = {
      .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};
  struct addrinfo *result = NULL;
  int rc = getaddrinfo(name, NULL, &hints, &result);
  if (rc != 0) {
    fprintf(stderr, "getaddrinfo(%s): %s\n", name, gai_strerror(rc));
    return 1;
  }
  freeaddrinfo(result);
  static char status[8192];
  FILE *file = fopen("/proc/self/status", "r");
  if (!file) return 1;
  size_t length = fread(status, 1, sizeof status - 1, file);
  fclose(file);
  status[length] = '\0';
  printf("%ld %ld %ld\n", status_field(status, "VmRSS:"), status_field(status, "RssAnon:"),
         status_field(status, "RssFile:"));
  return 0;
}
