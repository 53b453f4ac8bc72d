#!/usr/bin/env python3
"""Generates the getaddrinfo differential queries (the gai_probe input format).

Most queries are derived from the sandbox fixtures themselves: the names and
aliases of tests/fixtures/sandbox/hosts, the records, CNAMEs and NODATA names
of dnsmasq.conf (and its addn-hosts files), the search list of resolv.conf and
the services file; they are crossed with families, socket types, protocols,
flags and services. The output is deterministic (no randomness at all) and
free of duplicates; '#' lines name the sections.

    gen_queries.py [--fixtures DIR] [--output FILE]

Query line: NODE SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS, or NODE SERVICE -
for NULL hints; "-" is NULL, "\\e" the empty string, "\\s" a space, "\\t" a
tab, "\\xHH" any byte (see gai_probe.c).
"""

import argparse
import ipaddress
import os
import re
import sys

GO_FLAGS = "AI_CANONNAME|AI_V4MAPPED|AI_ALL"


def escape(value):
    """A gai_probe token for a node or service string (None: NULL)."""
    if value is None:
        return "-"
    if value == "":
        return "\\e"
    if value == "-":
        return "\\-"
    out = []
    for byte in value.encode("utf-8"):
        c = chr(byte)
        if c == "\\":
            out.append("\\\\")
        elif c == " ":
            out.append("\\s")
        elif c == "\t":
            out.append("\\t")
        elif c == "#" or byte < 0x21 or byte > 0x7e:
            out.append("\\x%02x" % byte)
        else:
            out.append(c)
    return "".join(out)


class Queries:
    def __init__(self):
        self.lines = []
        self.seen = set()

    def section(self, title):
        self.lines.append("# ---- %s" % title)

    def add(self, node, service, hints):
        """hints: None for NULL hints, or (family, socktype, protocol, flags)."""
        if hints is None:
            line = "%s %s -" % (escape(node), escape(service))
        else:
            line = "%s %s %s %s %s %s" % ((escape(node), escape(service)) +
                                          tuple(str(h) for h in hints))
        if line not in self.seen:
            self.seen.add(line)
            self.lines.append(line)

    def count(self):
        return len(self.seen)


def strip_comment(line):
    return line.split("#", 1)[0].strip()


def parse_hosts(path):
    """[(address, [names])] in file order."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = strip_comment(line).split()
            if len(fields) >= 2:
                entries.append((fields[0], fields[1:]))
    return entries


def is_address(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def parse_dnsmasq(path):
    """Names by kind: records (name -> [addresses]), cnames (alias -> target),
    nodata (names with other records only), wildcards (domains)."""
    data = {"records": {}, "cnames": {}, "other": [], "wildcards": []}
    if not os.path.exists(path):
        return data
    base = os.path.dirname(path)
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            if key == "host-record":
                parts = value.split(",")
                addresses = [p for p in parts if is_address(p)]
                names = [p for p in parts if not is_address(p) and not p.isdigit()]
                for name in names:
                    data["records"].setdefault(name, []).extend(addresses)
            elif key == "cname":
                parts = value.split(",")
                for alias in parts[:-1]:
                    data["cnames"][alias] = parts[-1]
            elif key in ("txt-record", "mx-host", "srv-host"):
                data["other"].append(value.split(",")[0])
            elif key == "address":
                m = re.match(r"^/([^/]+)/", value)
                if m and m.group(1) not in data["wildcards"]:
                    data["wildcards"].append(m.group(1))
            elif key == "addn-hosts":
                extra = value if os.path.isabs(value) else os.path.join(base, value)
                for address, names in parse_hosts(extra):
                    for name in names:
                        data["records"].setdefault(name, []).append(address)
    return data


def parse_search(path):
    search = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = strip_comment(line).split()
                if fields and fields[0] in ("search", "domain"):
                    search = fields[1:]
    return search


def parse_services(path):
    """name -> set of protocols, keeping file order; aliases included."""
    protocols = {}
    aliases = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = strip_comment(line).split()
                if len(fields) < 2 or "/" not in fields[1]:
                    continue
                proto = fields[1].split("/")[1]
                for name in [fields[0]] + fields[2:]:
                    protocols.setdefault(name, set()).add(proto)
                aliases.extend(n for n in fields[2:] if n not in aliases)
    return protocols, aliases


def case_variants(name):
    variants = [name, name.upper()]
    # Alternate case by letter position: deterministic and clearly "mixed".
    mixed = "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))
    variants.append(mixed)
    return variants


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_fixtures = os.path.join(here, "..", "fixtures", "sandbox")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", default=default_fixtures)
    parser.add_argument("--output", default="-")
    args = parser.parse_args()

    hosts = parse_hosts(os.path.join(args.fixtures, "hosts"))
    dns = parse_dnsmasq(os.path.join(args.fixtures, "dnsmasq.conf"))
    search = parse_search(os.path.join(args.fixtures, "resolv.conf"))
    services, service_aliases = parse_services(os.path.join(args.fixtures, "services"))

    q = Queries()

    def first_record(predicate, fallback):
        for name, addresses in dns["records"].items():
            if addresses and predicate([":" in a for a in addresses]):
                return name
        return fallback

    # Representative fixture names for the matrices below.
    v4_name = first_record(lambda v6: not any(v6), "a4.test")
    v6_name = first_record(all, "a6.test")
    dual_name = first_record(lambda v6: any(v6) and not all(v6), "dual.test")
    hosts_with_alias = next((names[0] for address, names in hosts
                             if len(names) > 2 and "." in names[0] and
                             not names[0].startswith(("localhost", "ip6-"))), "filehost.test")
    cname_name = next((alias for alias, target in dns["cnames"].items()
                       if target in dns["cnames"]), "cname2.test")

    # ---------------------------------------------------------------- names
    hosts_names = []
    for _, names in hosts:
        for name in names:
            if name not in hosts_names:
                hosts_names.append(name)
    dns_names = list(dns["records"])
    cname_names = list(dns["cnames"])
    nodata_names = [n for n in dns["other"]
                    if n not in dns["records"] and n not in dns_names + cname_names]
    wildcard_names = []
    for domain in dns["wildcards"]:
        wildcard_names += [domain, "any." + domain, "deep.er." + domain]

    # Names only reachable through the search list, and names present under
    # several search domains (the first domain must win).
    short_names = []
    for name in dns_names + cname_names:
        for domain in search:
            if name.endswith("." + domain):
                short = name[: -len(domain) - 1]
                if short not in short_names:
                    short_names.append(short)
    nxdomain_names = ["nosuch.test", "nosuch", "no-such-host", "nosuch.sub.test",
                      "a.b.c.d.e.nosuch.test", "nosuch.example", "nosuch.invalid",
                      "commented-out.test"]
    # ndots is 1: a dotless name goes through the search list first, a dotted
    # one is tried as it is first; a trailing dot disables the search list.
    trailing_dot = [n + "." for n in
                    (dns_names[:3] + [n for n in hosts_names if "file" in n.lower()][:3] +
                     short_names[:3] + ["localhost"])]

    # The main name set, crossed with the hint sets below.
    primary_names = []
    for group in (hosts_names, dns_names, cname_names, nodata_names, wildcard_names,
                  short_names, nxdomain_names, trailing_dot):
        for name in group:
            if name not in primary_names:
                primary_names.append(name)
    # Letter case: hosts names match case-insensitively, DNS names too (and
    # the canonical name is what the answer says).
    case_names = []
    for name in (hosts_names[:6] + [n for n in hosts_names if n.lower() != n] +
                 dns_names[:4] + cname_names[:2] + short_names[:2]):
        for variant in case_variants(name)[1:]:
            if variant not in primary_names and variant not in case_names:
                case_names.append(variant)

    name_hints = [
        None,
        ("AF_UNSPEC", "0", "0", "0"),
        ("AF_INET", "0", "0", "0"),
        ("AF_INET6", "0", "0", "0"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", GO_FLAGS),   # Go: LookupHost/Dial
        ("AF_INET", "SOCK_STREAM", "0", GO_FLAGS),     # Go: "ip4"
        ("AF_INET6", "SOCK_STREAM", "0", GO_FLAGS),    # Go: "ip6"
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_CANONNAME"),
        ("AF_INET", "SOCK_DGRAM", "0", "AI_CANONNAME"),
        ("AF_INET6", "SOCK_STREAM", "0", "AI_V4MAPPED"),
        ("AF_INET6", "SOCK_DGRAM", "0", "AI_V4MAPPED|AI_ALL"),
        ("AF_INET6", "SOCK_STREAM", "0", "AI_ALL"),
        ("AF_UNSPEC", "SOCK_STREAM", "IPPROTO_TCP", "AI_ADDRCONFIG"),
        ("AF_UNSPEC", "SOCK_DGRAM", "IPPROTO_UDP", "AI_CANONNAME|AI_ADDRCONFIG"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_NUMERICHOST"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_PASSIVE|AI_CANONNAME"),
    ]
    q.section("fixture names x hints (hosts, DNS, CNAMEs, NODATA, wildcard, search list, "
              "NXDOMAIN, trailing dot)")
    for name in primary_names:
        for hints in name_hints:
            q.add(name, None, hints)
    q.section("fixture names with a service")
    for name in primary_names:
        q.add(name, "http", ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_CANONNAME"))
        q.add(name, "53", ("AF_UNSPEC", "0", "0", "0"))
    q.section("fixture names x families x socktypes, service known for tcp and udp")
    both_service = next((n for n, p in services.items() if p == {"tcp", "udp"}), "domain")
    for name in primary_names:
        for family in ("AF_UNSPEC", "AF_INET", "AF_INET6"):
            for socktype in ("0", "SOCK_DGRAM", "SOCK_RAW"):
                q.add(name, both_service, (family, socktype, "0", "AI_V4MAPPED"))
    q.section("letter case variants")
    for name in case_names:
        for hints in (("AF_UNSPEC", "SOCK_STREAM", "0", GO_FLAGS),
                      ("AF_INET", "SOCK_STREAM", "0", "AI_CANONNAME"),
                      ("AF_INET6", "SOCK_STREAM", "0", "AI_CANONNAME|AI_V4MAPPED"),
                      None):
            q.add(name, None, hints)

    # ------------------------------------------------- socktype/protocol matrix
    families = ["AF_UNSPEC", "AF_INET", "AF_INET6", "99", "AF_UNIX"]
    type_proto = [
        ("0", "0"), ("SOCK_STREAM", "0"), ("SOCK_DGRAM", "0"), ("SOCK_RAW", "0"),
        ("SOCK_SEQPACKET", "0"), ("SOCK_RDM", "0"), ("SOCK_DCCP", "0"), ("99", "0"),
        ("SOCK_STREAM", "IPPROTO_TCP"), ("SOCK_DGRAM", "IPPROTO_UDP"),
        ("SOCK_STREAM", "IPPROTO_UDP"), ("SOCK_DGRAM", "IPPROTO_TCP"),
        ("0", "IPPROTO_TCP"), ("0", "IPPROTO_UDP"), ("0", "IPPROTO_SCTP"),
        ("SOCK_STREAM", "IPPROTO_SCTP"), ("SOCK_SEQPACKET", "IPPROTO_SCTP"),
        ("SOCK_DGRAM", "IPPROTO_SCTP"), ("SOCK_DGRAM", "IPPROTO_UDPLITE"),
        ("0", "IPPROTO_UDPLITE"), ("SOCK_RAW", "IPPROTO_TCP"), ("SOCK_RAW", "IPPROTO_ICMP"),
        ("0", "IPPROTO_RAW"), ("0", "99"), ("SOCK_STREAM", "99"),
    ]
    matrix_nodes = [("127.0.0.1", "0"), (dual_name, "0"), (None, "AI_PASSIVE")]
    q.section("family x socktype x protocol x service")
    for node, flags in matrix_nodes:
        for family in families:
            for socktype, protocol in type_proto:
                for service in (None, "80"):
                    if node is None and service is None:
                        continue
                    q.add(node, service, (family, socktype, protocol, flags))
    q.add(None, None, None)
    q.add(None, None, ("AF_UNSPEC", "0", "0", "0"))
    q.add(None, None, ("AF_UNSPEC", "0", "0", "AI_PASSIVE"))
    q.add("", None, None)
    q.add("", "", None)
    q.add("*", "*", None)
    q.add("*", None, ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_PASSIVE"))
    q.add("*", "80", ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_CANONNAME"))

    # ---------------------------------------------------------------- flags
    flag_sets = [
        "0", "AI_PASSIVE", "AI_CANONNAME", "AI_NUMERICHOST", "AI_NUMERICSERV",
        "AI_V4MAPPED", "AI_ALL", "AI_ADDRCONFIG", "AI_V4MAPPED|AI_ALL",
        "AI_V4MAPPED|AI_ADDRCONFIG", "AI_V4MAPPED|AI_ALL|AI_ADDRCONFIG",
        "AI_CANONNAME|AI_NUMERICHOST", "AI_PASSIVE|AI_NUMERICHOST|AI_NUMERICSERV",
        "AI_IDN", "AI_CANONNAME|AI_CANONIDN", "AI_CANONIDN",
        "AI_IDN_ALLOW_UNASSIGNED", "AI_IDN_USE_STD3_ASCII_RULES",
        "0x800", "0x1000", "0x10000", "AI_CANONNAME|0x80000000", "0x7fffffff",
    ]
    flag_nodes = [dual_name, v4_name, v6_name, hosts_with_alias, cname_name,
                  "127.0.0.1", "::1", "::ffff:127.0.0.1", None, "localhost"]
    q.section("flags x nodes x families")
    for node in flag_nodes:
        for family in ("AF_UNSPEC", "AF_INET", "AF_INET6"):
            for flags in flag_sets:
                q.add(node, "80" if node is None else None,
                      (family, "SOCK_STREAM", "0", flags))
    q.section("AI_CANONNAME with a NULL node")
    for service in (None, "80", "http"):
        for flags in ("AI_CANONNAME", "AI_CANONNAME|AI_PASSIVE", "AI_CANONNAME|AI_NUMERICHOST"):
            q.add(None, service, ("AF_UNSPEC", "SOCK_STREAM", "0", flags))

    # ------------------------------------------------------------- services
    tcp_only = [n for n, p in services.items() if p == {"tcp"}][:4]
    udp_only = [n for n, p in services.items() if p == {"udp"}][:4]
    both = [n for n, p in services.items() if p == {"tcp", "udp"}][:4]
    other_proto = [n for n, p in services.items() if p - {"tcp", "udp"}][:2]
    aliases = [a for a in service_aliases if a in services][:4]
    service_list = (tcp_only + udp_only + both + other_proto + aliases +
                    ["http", "https", "domain", "HTTP", "Domain",
                     "0", "1", "80", "65535", "65536", "99999", "4294967376", "-1", "+80",
                     "080", "0x50", "1e2", " 80", "80 ", "80x", "8 0", "", "nosuchservice",
                     "http/tcp", "*", "x" * 300])
    service_hints = [
        None,
        ("AF_UNSPEC", "0", "0", "0"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", "0"),
        ("AF_UNSPEC", "SOCK_DGRAM", "0", "0"),
        ("AF_UNSPEC", "SOCK_RAW", "0", "0"),
        ("AF_UNSPEC", "SOCK_SEQPACKET", "0", "0"),
        ("AF_UNSPEC", "0", "IPPROTO_TCP", "0"),
        ("AF_UNSPEC", "0", "IPPROTO_UDP", "0"),
        ("AF_UNSPEC", "SOCK_STREAM", "IPPROTO_UDP", "0"),
        ("AF_UNSPEC", "SOCK_STREAM", "IPPROTO_TCP", "0"),      # Go: LookupPort("tcp")
        ("AF_UNSPEC", "SOCK_DGRAM", "IPPROTO_UDP", "0"),       # Go: LookupPort("udp")
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_NUMERICSERV"),
        ("AF_INET", "0", "0", "AI_PASSIVE|AI_NUMERICSERV"),
    ]
    q.section("services x socktypes (NULL node and numeric node)")
    for service in service_list:
        for hints in service_hints:
            q.add(None, service, hints)
            q.add("127.0.0.1", service, hints)
    q.section("Go LookupPort: getaddrinfo(NULL, service, {socktype, protocol})")
    for service in service_list:
        for socktype, protocol in (("SOCK_STREAM", "IPPROTO_TCP"), ("SOCK_DGRAM", "IPPROTO_UDP")):
            for flags in ("0", "AI_PASSIVE"):
                q.add(None, service, ("AF_UNSPEC", socktype, protocol, flags))
    q.section("NULL node, passive and not, every family")
    for family in ("AF_UNSPEC", "AF_INET", "AF_INET6"):
        for flags in ("0", "AI_PASSIVE", "AI_PASSIVE|AI_V4MAPPED", "AI_V4MAPPED|AI_ALL",
                      "AI_ADDRCONFIG", "AI_PASSIVE|AI_ADDRCONFIG", "AI_NUMERICHOST"):
            for service in ("0", "22", "ssh", "domain"):
                q.add(None, service, (family, "0", "0", flags))

    # -------------------------------------------------------- numeric hosts
    literals = [
        "127.0.0.1", "127.1", "127.0.1", "0x7f.1", "0X7F.0.0.1", "0x7f000001", "2130706433",
        "017.0.0.1", "0177.0.0.1", "08.1.1.1", "1.2.3.4.5", "256.1.1.1", "1.2.3.256",
        "1.2.65535", "1.65536", "1.2.3", "1.2", "1", "0", "0.0.0.0", "255.255.255.255",
        "4294967295", "4294967296", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4 ",
        " 1.2.3.4", "1.2.3.4 junk", "1.2.3.4\tx", "0x", "1.0x2.3.4", "198.51.100.1",
        "::", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "::ffff:198.51.100.1",
        "2001:db8::1", "2001:DB8::A", "2001:db8:0:0:0:0:0:1", "2001:db8::1::2",
        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::1.2.3.4.5",
        "fe80::1%lo", "fe80::1%1", "fe80::1%veth0", "fe80::1%bogus", "fe80::1%",
        "fe80::1%0", "fe80::1%99", "fe80::1%4294967295", "fe80::1%4294967296",
        "fe80::1%lo%lo", "fe80::1%1x", "2001:db8::1%lo", "2001:db8::1%1", "ff02::1%lo",
        "ff02::1", "::1%lo", "[::1]", "1.2.3.4%lo", "::1 ", "fd00:200::1", "10.200.0.1",
        "::ffff:10.200.0.1", "fe80::", "FE80::ABCD%LO",
    ]
    literal_hints = [
        None,
        ("AF_UNSPEC", "SOCK_STREAM", "0", "0"),
        ("AF_INET", "SOCK_STREAM", "0", "0"),
        ("AF_INET6", "SOCK_STREAM", "0", "0"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_NUMERICHOST"),
        ("AF_INET6", "SOCK_STREAM", "0", "AI_V4MAPPED"),
        ("AF_INET6", "SOCK_STREAM", "0", "AI_V4MAPPED|AI_ALL|AI_NUMERICHOST"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_CANONNAME"),
        ("AF_UNSPEC", "SOCK_STREAM", "0", GO_FLAGS),
        ("AF_UNSPEC", "SOCK_DGRAM", "0", "AI_ADDRCONFIG"),
    ]
    q.section("numeric hosts (inet_aton forms, IPv6, scope ids) x hints")
    for literal in literals:
        for hints in literal_hints:
            q.add(literal, None, hints)
        q.add(literal, "http", ("AF_UNSPEC", "0", "0", "AI_NUMERICHOST|AI_CANONNAME"))

    # ----------------------------------------------------------- odd names
    odd_names = [
        "", " ", "-", "*", "**", ".", "..", "...", "a..b.test", ".a4.test", "a4.test..", "test", "test.",
        "a_b.test", "under_score", "a4.test%lo", "a4.test:80", "a4.test/24", "a4 .test",
        "a4.test\n", "\x01", "*", "*.wild.test", "\u00e9cole.test", "b\u00fccher.test",
        "xn--bcher-kva.test", "1234", "1234.test", "123.45", "0x1g", "localhost.localdomain",
        "LOCALHOST", "localhost.", "ip6-localhost", "ip6-allnodes", "ip6-allrouters",
        "sandbox", "sandbox.corp.test",
        "a" * 63 + ".test", "a" * 64 + ".test", ("a" * 63 + ".") * 3 + "a" * 61,
        ("a" * 63 + ".") * 3 + "a" * 62, ("a" * 63 + ".") * 4 + "test", "b" * 1000,
        "x." * 126 + "x", "x." * 127 + "x",
    ]
    odd_hints = [None,
                 ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_CANONNAME"),
                 ("AF_INET", "SOCK_STREAM", "0", "0"),
                 ("AF_INET6", "SOCK_STREAM", "0", "AI_V4MAPPED"),
                 ("AF_UNSPEC", "SOCK_STREAM", "0", GO_FLAGS),
                 ("AF_UNSPEC", "SOCK_STREAM", "0", "AI_IDN|AI_CANONNAME")]
    q.section("odd names (empty, dots, odd characters, IDN, very long)")
    for name in odd_names:
        for hints in odd_hints:
            q.add(name, None, hints)

    text = ("# getaddrinfo differential queries, generated by "
            "tests/differential/gen_queries.py from %s; do not edit.\n"
            % os.path.normpath(os.path.relpath(args.fixtures, os.path.join(here, "..", "..")))
            + "\n".join(q.lines) + "\n")
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    print("gen_queries.py: %d queries" % q.count(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
