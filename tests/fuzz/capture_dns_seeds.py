#!/usr/bin/env python3
"""Captures real DNS answers from the sandbox's dnsmasq as fuzz seeds.

Run inside the sandbox (needs root):
  scripts/sandbox.sh -- python3 tests/fuzz/capture_dns_seeds.py tests/fuzz/corpus
Writes corpus/dns_addrinfo/* (the input format of fuzz_dns_addrinfo.cc) and
corpus/dns_hostent/* (fuzz_dns_hostent.cc). Answers truncated over UDP are
asked again over TCP, as the resolver does.
"""
import os
import socket
import struct
import sys

SERVER = ("127.0.0.1", 53)
TYPE_A, TYPE_AAAA, TYPE_PTR = 1, 28, 12


def query(name, qtype, ident=0x4242):
    packet = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        packet += bytes([len(label)]) + label.encode()
    return packet + b"\0" + struct.pack(">HH", qtype, 1)


def ask(name, qtype):
    q = query(name, qtype)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.sendto(q, SERVER)
        answer = s.recv(65535)
    if answer[2] & 0x02:  # TC: ask again over TCP
        with socket.create_connection(SERVER, 3) as s:
            s.sendall(struct.pack(">H", len(q)) + q)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
                chunk = s.recv(65535)
                if not chunk:
                    break
                data += chunk
        answer = data[2:]
    return answer


def main():
    out = sys.argv[1]
    addrinfo = os.path.join(out, "dns_addrinfo")
    hostent = os.path.join(out, "dns_hostent")
    os.makedirs(addrinfo, exist_ok=True)
    os.makedirs(hostent, exist_ok=True)
    names = ["a4.test", "a6.test", "dual.test", "multidual.test", "cname4.test",
             "cname-cross.test", "cname-nodata.test", "txtonly.test", "nx.test",
             "big4.test", "bigdual.test", "intra.corp.test"]
    for i, name in enumerate(names):
        a, aaaa = ask(name, TYPE_A), ask(name, TYPE_AAAA)
        options = (i * 13) & 0x3e  # vary services, flags and the releasing function
        with open(os.path.join(addrinfo, name), "wb") as f:
            f.write(struct.pack(">HB", len(a), options) + a + aaaa)
    for name, qtype, selector in [("dual.test", TYPE_A, 0), ("cname4.test", TYPE_AAAA, 1),
                                  ("big6.test", TYPE_AAAA, 1), ("nx.test", TYPE_A, 0),
                                  ("1.100.51.198.in-addr.arpa", TYPE_PTR, 2),
                                  ("99.100.51.198.in-addr.arpa", TYPE_PTR, 2)]:
        answer = ask(name, qtype)
        with open(os.path.join(hostent, "%s-%d" % (name, qtype)), "wb") as f:
            f.write(struct.pack(">BH", selector, 1024) + answer)
        # The same answer with a buffer too small for it (ERANGE path).
        with open(os.path.join(hostent, "%s-%d-small" % (name, qtype)), "wb") as f:
            f.write(struct.pack(">BH", selector, 40) + answer)


if __name__ == "__main__":
    main()
