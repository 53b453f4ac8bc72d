#!/usr/bin/env python3
"""Generates surface_probe queries from the sandbox fixtures: every name of
the hosts file and the DNS data, through each gethostby* form and family,
with buffer sizes from 8 bytes up; reverse lookups of addresses in hosts, in
DNS (host-record and ptr-record) and in neither."""
import argparse
import ipaddress
import os
import re

BUFFER_SIZES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 256, 512, 1024, 4096]


def hosts_entries(path):
    names, addrs = [], []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.split("#", 1)[0].split()
        if len(line) < 2:
            continue
        addrs.append(line[0])
        names.extend(line[1:])
    return names, addrs


def dns_entries(path):
    names, addrs = [], []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        m = re.match(r"(host-record|cname|txt-record|mx-host|ptr-record)=([^,]+),?(.*)", line)
        if not m:
            continue
        kind, name, rest = m.groups()
        if kind == "ptr-record":
            labels = name.split(".")
            if name.endswith(".in-addr.arpa"):
                addrs.append(".".join(reversed(labels[:4])))
            continue
        names.append(name)
        if kind == "host-record":
            addrs.extend(a for a in rest.split(",") if a)
    return names, addrs


def unique(seq):
    seen, out = set(), []
    for s in seq:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    h_names, h_addrs = hosts_entries(os.path.join(args.fixtures, "hosts"))
    d_names, d_addrs = dns_entries(os.path.join(args.fixtures, "dnsmasq.conf"))
    extra_names = ["intra", "labhost", "shared", "dotted.sub", "nonexistent.test", "nosuchname",
                   "MIXEDCASE.test", "1.2.3.4", "1.2.3", "0x7f.1", "1.2.3.4.", "::1", "2001:db8::1",
                   "::ffff:1.2.3.4", "fe80::1%lo", "beef", "-bad.test", "bad_name.test",
                   "has space", "\\e", "a..b", "1234567890", "abc:def"]
    names = unique(h_names + d_names + extra_names)
    queries = []
    for name in names:
        if " " in name:
            continue
        queries.append(f"gethostbyname {name}")
        queries.append(f"gethostbyname2 {name} AF_INET6")
        queries.append(f"gethostbyname_r {name} 1024")
        queries.append(f"gethostbyname2_r {name} AF_INET6 1024")
    # Buffer sizes, on a subset that covers each kind of answer.
    sized = ["filehost.test", "filemulti.test", "MixedCase.Test", "split.test", "localhost",
             "spaced.test", "indns.test", "a4.test", "dual.test", "multi4.test", "multidual.test",
             "cname4.test", "cname-many.test", "intra", "1.2.3.4", "::1", "nonexistent.test"]
    for name in sized:
        for size in BUFFER_SIZES:
            queries.append(f"gethostbyname_r {name} {size}")
            queries.append(f"gethostbyname2_r {name} AF_INET6 {size}")
    addrs = unique(h_addrs + d_addrs + ["192.0.2.250", "203.0.113.77", "2001:db8:ffff::1", "::",
                                        "::ffff:192.0.2.10", "::ffff:127.0.0.1", "10.200.0.1"])
    for addr in addrs:
        family = "AF_INET6" if ":" in addr else "AF_INET"
        queries.append(f"gethostbyaddr {addr} {family}")
        queries.append(f"gethostbyaddr_r {addr} {family} - 1024")
        queries.append(f"gethostbyaddr_r {addr} AF_UNSPEC - 1024")
    for addr in ["127.0.0.1", "192.0.2.10", "198.51.100.1", "198.51.100.99", "2001:db8:f::14"]:
        family = "AF_INET6" if ":" in addr else "AF_INET"
        for size in BUFFER_SIZES:
            queries.append(f"gethostbyaddr_r {addr} {family} - {size}")
    queries.append("gethostbyaddr_r 192.0.2.10 AF_INET 3 1024")
    queries.append("gethostbyaddr_r 192.0.2.10 AF_INET 16 1024")
    queries.append("gethostbyaddr_r ::1 AF_INET6 4 1024")
    with open(args.output, "w") as out:
        out.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
