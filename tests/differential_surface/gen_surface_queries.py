#!/usr/bin/env python3
"""Generates surface_probe queries from the sandbox fixtures: every name of
the hosts file and the DNS data, through each gethostby* form and family,
with buffer sizes from 8 bytes up; reverse lookups of addresses in hosts, in
DNS (host-record and ptr-record) and in neither; getnameinfo on such
addresses (IPv4, IPv6, v4-mapped, link-local with scope ids) with every flag
combination, host and service buffers from 0 up to ample, services in
/etc/services for tcp only, udp only and not at all, and bad lengths,
families and flags."""
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


NI_FLAGS = ["NI_NUMERICHOST", "NI_NUMERICSERV", "NI_NOFQDN", "NI_NAMEREQD", "NI_DGRAM", "NI_IDN"]


def flag_text(bits):
    names = [NI_FLAGS[i] for i in range(len(NI_FLAGS)) if bits & (1 << i)]
    return "|".join(names) if names else "0"


def gni(address, family, port=80, scope="0", salen="-", hostlen="1025", servlen="32", flags="0"):
    return f"getnameinfo {address} {family} {port} {scope} {salen} {hostlen} {servlen} {flags}"


def getnameinfo_queries():
    q = []
    # (address, family, scope): in hosts, in DNS, in neither, v4-mapped, scoped.
    targets = [
        ("127.0.0.1", "AF_INET", "0"), ("127.0.1.1", "AF_INET", "0"),
        ("192.0.2.10", "AF_INET", "0"), ("192.0.2.13", "AF_INET", "0"),
        ("192.0.2.18", "AF_INET", "0"), ("192.0.2.15", "AF_INET", "0"),
        ("198.51.100.1", "AF_INET", "0"), ("198.51.100.99", "AF_INET", "0"),
        ("198.51.100.31", "AF_INET", "0"), ("10.200.0.1", "AF_INET", "0"),
        ("192.0.2.250", "AF_INET", "0"), ("0.0.0.0", "AF_INET", "0"),
        ("::1", "AF_INET6", "0"), ("2001:db8:f::14", "AF_INET6", "0"),
        ("2001:db8:f::21", "AF_INET6", "0"), ("2001:db8:1::1", "AF_INET6", "0"),
        ("2001:db8:ffff::1", "AF_INET6", "0"), ("::", "AF_INET6", "0"),
        ("ff02::1", "AF_INET6", "0"),
        ("::ffff:192.0.2.10", "AF_INET6", "0"), ("::ffff:198.51.100.1", "AF_INET6", "0"),
        ("::ffff:192.0.2.250", "AF_INET6", "0"), ("::ffff:127.0.0.1", "AF_INET6", "0"),
        ("fe80::1", "AF_INET6", "lo"), ("fe80::1", "AF_INET6", "veth0"),
        ("fe80::1", "AF_INET6", "veth1"), ("fe80::1", "AF_INET6", "4000"),
        ("fe80::1", "AF_INET6", "0"), ("ff02::1", "AF_INET6", "veth0"),
        ("ff02::2", "AF_INET6", "4294967295"), ("ff05::1", "AF_INET6", "lo"),
        ("2001:db8:1::1", "AF_INET6", "lo"), ("::1", "AF_INET6", "7"),
        ("fe80::abcd:1234:5678:9abc", "AF_INET6", "veth1"),
    ]
    for address, family, scope in targets:
        for bits in range(1 << len(NI_FLAGS)):
            q.append(gni(address, family, 22, scope, flags=flag_text(bits)))
    # Deprecated IDN bits are accepted; every other unknown bit is EAI_BADFLAGS.
    for flags in ["64", "128", "192", "NI_IDN|192", "256", "512", "1024", "0x1000", "0x10000",
                  "0x40000000", "-1", "NI_NUMERICHOST|256"]:
        q.append(gni("192.0.2.10", "AF_INET", flags=flags))
    # Services: tcp only, udp only, both, sctp only, case, duplicates, none.
    ports = [0, 1, 7, 9, 21, 22, 53, 67, 80, 123, 137, 179, 40001, 40002, 40003, 40004, 40005,
             40006, 40007, 12345, 65535]
    for port in ports:
        for flags in ["0", "NI_DGRAM", "NI_NUMERICSERV", "NI_NUMERICSERV|NI_DGRAM"]:
            q.append(gni("192.0.2.250", "AF_INET", port, flags="NI_NUMERICHOST|" + flags
                         if flags != "0" else "NI_NUMERICHOST"))
            q.append(gni("2001:db8:ffff::1", "AF_INET6", port, hostlen="N", flags=flags))
    # Host buffer sizes around each answer's length, and service sizes.
    sized = [("192.0.2.10", "AF_INET", "0", "0"), ("192.0.2.10", "AF_INET", "0", "NI_NUMERICHOST"),
             ("198.51.100.99", "AF_INET", "0", "0"), ("192.0.2.250", "AF_INET", "0", "0"),
             ("2001:db8:ffff::1", "AF_INET6", "0", "0"), ("::ffff:192.0.2.250", "AF_INET6", "0", "0"),
             ("fe80::1", "AF_INET6", "veth0", "0"), ("fe80::1", "AF_INET6", "4000", "0"),
             ("ff02::2", "AF_INET6", "4294967295", "NI_NUMERICHOST"),
             ("2001:db8:f::14", "AF_INET6", "0", "NI_IDN"),
             ("::ffff:192.0.2.10", "AF_INET6", "0", "NI_NOFQDN")]
    for address, family, scope, flags in sized:
        for hostlen in list(range(0, 41)) + [46, 47, 63, 64, 65, 128, 1025]:
            q.append(gni(address, family, 80, scope, hostlen=str(hostlen), servlen="N", flags=flags))
    for port, flags in [(80, "0"), (40001, "0"), (40002, "NI_DGRAM"), (12345, "0"), (65535, "0"),
                        (0, "0"), (80, "NI_NUMERICSERV")]:
        for servlen in range(0, 14):
            q.append(gni("192.0.2.10", "AF_INET", port, hostlen="N", servlen=str(servlen),
                         flags=flags))
            q.append(gni("192.0.2.10", "AF_INET", port, hostlen="3", servlen=str(servlen),
                         flags=flags))
    # Null buffers, with and without NI_NAMEREQD.
    for hostlen, servlen in [("N", "N"), ("N", "32"), ("1025", "N"), ("0", "0"), ("N", "0"),
                             ("0", "N")]:
        for flags in ["0", "NI_NAMEREQD", "NI_NAMEREQD|NI_NUMERICHOST"]:
            for address in ["192.0.2.10", "192.0.2.250"]:
                q.append(gni(address, "AF_INET", hostlen=hostlen, servlen=servlen, flags=flags))
    # Socket address lengths and families.
    for salen in ["0", "1", "2", "3", "15", "16", "17", "128"]:
        q.append(gni("192.0.2.10", "AF_INET", salen=salen))
    for salen in ["0", "1", "2", "16", "27", "28", "29", "128"]:
        q.append(gni("2001:db8:f::14", "AF_INET6", salen=salen))
    for family in ["0", "17", "99", "AF_UNSPEC", "3"]:
        q.append(gni("192.0.2.10", family))
        q.append(gni("192.0.2.10", family, flags="NI_NAMEREQD", hostlen="N", servlen="N"))
    q.append(gni("NULL", "AF_INET"))
    q.append(gni("NULL", "AF_INET", salen="0"))
    q.append(gni("NULL", "AF_INET", flags="512"))
    # AF_LOCAL: the node name (or "localhost") and sun_path.
    for salen in ["0", "1", "2", "3", "110"]:
        for flags in ["0", "NI_NUMERICHOST", "NI_NAMEREQD", "NI_NAMEREQD|NI_NUMERICHOST"]:
            q.append(gni("/run/aresolv.sock", "AF_LOCAL", salen=salen, flags=flags))
    for hostlen in ["0", "1", "2", "9", "10", "64", "N"]:
        for servlen in ["0", "5", "17", "18", "N"]:
            q.append(gni("/run/aresolv.sock", "AF_LOCAL", hostlen=hostlen, servlen=servlen,
                         flags="NI_NUMERICHOST"))
    return q


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
    queries.extend(getnameinfo_queries())
    with open(args.output, "w") as out:
        out.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
