"""Prints what Python's socket module answers for one name, in order, for a
few sets of getaddrinfo hints (or the other entry points with --surface)."""
import socket
import sys


def show_getaddrinfo(host, service, family, socktype, flags):
    label = f"getaddrinfo({host!r}, {service!r}, {family.name if family else 0}, {socktype}, {flags:#x})"
    try:
        for fam, stype, proto, canon, addr in socket.getaddrinfo(host, service, family, socktype, 0, flags):
            print(label, fam.name, stype.name, proto, repr(canon), addr)
    except socket.gaierror as error:
        print(label, "gaierror", error.errno, error.strerror)


def show(label, call):
    try:
        print(label, call())
    except OSError as error:
        print(label, type(error).__name__, error.errno, error.strerror)


def main():
    mode, host = sys.argv[1], sys.argv[2]
    if mode == "getaddrinfo":
        show_getaddrinfo(host, None, 0, 0, 0)
        show_getaddrinfo(host, None, 0, socket.SOCK_STREAM, socket.AI_CANONNAME)
        show_getaddrinfo(host, "http", socket.AF_INET, socket.SOCK_STREAM, socket.AI_CANONNAME)
        show_getaddrinfo(host, "53", socket.AF_INET6, 0, socket.AI_V4MAPPED | socket.AI_ALL)
        show_getaddrinfo(host, None, 0, socket.SOCK_DGRAM, socket.AI_ADDRCONFIG)
    elif mode == "service":
        for family in (0, socket.AF_INET6):
            for flags in (0, socket.AI_PASSIVE):
                show_getaddrinfo(None, host, family, 0, flags)
    elif mode == "gethostbyname":
        show("gethostbyname", lambda: socket.gethostbyname(host))
        show("gethostbyname_ex", lambda: socket.gethostbyname_ex(host))
    elif mode == "gethostbyaddr":
        show("gethostbyaddr", lambda: socket.gethostbyaddr(host))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
