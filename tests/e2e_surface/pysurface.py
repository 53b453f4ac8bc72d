"""Prints what Python's socket module answers through the resolver entry
points other than getaddrinfo, for one name or address:

    pysurface.py byname NAME      gethostbyname, gethostbyname_ex
    pysurface.py byaddr ADDRESS   gethostbyaddr
    pysurface.py nameinfo ADDRESS getnameinfo over a set of ports and flags
"""
import socket
import sys

PORTS = (80, 53, 40001, 40002, 40004, 9999)
FLAGS = (
    0,
    socket.NI_NAMEREQD,
    socket.NI_NUMERICHOST,
    socket.NI_NUMERICSERV,
    socket.NI_NOFQDN,
    socket.NI_DGRAM,
    socket.NI_NAMEREQD | socket.NI_NUMERICSERV,
    socket.NI_NUMERICHOST | socket.NI_NUMERICSERV | socket.NI_DGRAM,
    socket.NI_NOFQDN | socket.NI_DGRAM,
)


def show(label, call):
    try:
        print(label, call())
    except OSError as error:
        print(label, type(error).__name__, error.errno, error.strerror)


def main():
    mode, arg = sys.argv[1], sys.argv[2]
    if mode == "byname":
        show(f"gethostbyname({arg!r})", lambda: socket.gethostbyname(arg))
        show(f"gethostbyname_ex({arg!r})", lambda: socket.gethostbyname_ex(arg))
    elif mode == "byaddr":
        show(f"gethostbyaddr({arg!r})", lambda: socket.gethostbyaddr(arg))
    elif mode == "nameinfo":
        host, _, scope = arg.partition("%")
        scope_id = socket.if_nametoindex(scope) if scope else 0
        for port in PORTS:
            address = (host, port, 0, scope_id) if ":" in host else (host, port)
            for flags in FLAGS:
                show(f"getnameinfo({address!r}, {flags:#x})", lambda: socket.getnameinfo(address, flags))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
