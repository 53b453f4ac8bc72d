// Storage for the non-reentrant gethostbyname, gethostbyname2 and
// gethostbyaddr: glibc keeps one malloc'ed buffer that it doubles while the
// reentrant lookup says ERANGE, and never frees. Ours is per thread (glibc's
// is one per process behind a lock, so a thread's answer could be replaced
// by another's): a thread keeps its buffer until it exits, and then it is
// lost, as glibc's is at process exit.
#pragma once

#include <netdb.h>
#include <sys/socket.h>

namespace aresolv {

struct hostent *nonreentrant_by_name(const char *name, int af);
struct hostent *nonreentrant_by_addr(const void *addr, socklen_t len, int type);

}  // namespace aresolv
