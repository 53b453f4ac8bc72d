/* A 32-bit shared object importing getaddrinfo, for `aresolv audit`: compiled
   and linked without any 32-bit libc (no headers, no crt files). */
struct addrinfo;
int getaddrinfo(const char*, const char*, const struct addrinfo*, struct addrinfo**);
int lookup(void) { return getaddrinfo("localhost", 0, 0, 0); }
