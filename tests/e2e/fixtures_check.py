#!/usr/bin/python3
"""Checks that the sandbox's DNS server answers as tests/fixtures/README.md
says (run inside scripts/sandbox.sh): the other tests rely on these facts."""
import subprocess
import sys

import dns.flags
import dns.message
import dns.query
import dns.rcode

failures = 0


def check(name, rdtype, rcode, count=None, tc=None):
    global failures
    reply = dns.query.udp(dns.message.make_query(name, rdtype), "127.0.0.1", timeout=2)
    got_rcode = dns.rcode.to_text(reply.rcode())
    got_count = sum(len(rrset) for rrset in reply.answer if rrset.rdtype == dns.rdatatype.from_text(rdtype))
    got_tc = bool(reply.flags & dns.flags.TC)
    ok = got_rcode == rcode and (count is None or got_count == count) and (tc is None or got_tc == tc)
    if not tc and count is not None and got_tc:
        ok = False
    failures += not ok
    print("ok   " if ok else "FAIL ", name, rdtype, "->", got_rcode, f"{got_count} records", "TC" if got_tc else "")


check("a4.test", "A", "NOERROR", 1)
check("a4.test", "AAAA", "NOERROR", 0)
check("dual.test", "AAAA", "NOERROR", 1)
check("multidual.test", "A", "NOERROR", 2)
check("nx.test", "A", "NXDOMAIN", 0)
check("nosuchname", "A", "NXDOMAIN", 0)
check("www.example.com", "A", "NXDOMAIN", 0)
check("txtonly.test", "A", "NOERROR", 0)
check("txtonly.test", "TXT", "NOERROR", 1)
check("mxonly.test", "MX", "NOERROR", 1)
check("cname4.test", "A", "NOERROR", 1)
check("cname-nodata.test", "A", "NOERROR", 0)
check("cname-cross.test", "AAAA", "NOERROR", 1)
check("fresh-name-1.wild.test", "A", "NOERROR", 1)
check("intra.corp.test", "A", "NOERROR", 1)
check("shared.lab.test", "A", "NOERROR", 1)
check("big4.test", "A", "NOERROR", tc=True)
check("big6.test", "AAAA", "NOERROR", tc=True)
check("bigdual.test", "A", "NOERROR", tc=True)
check("bigdual.test", "AAAA", "NOERROR", tc=True)
check("1.100.51.198.in-addr.arpa", "PTR", "NOERROR", 1)
check("99.100.51.198.in-addr.arpa", "PTR", "NOERROR", 1)
check("250.2.0.192.in-addr.arpa", "PTR", "NXDOMAIN", 0)
for name, want in (("big4.test", 40), ("big6.test", 25), ("bigdual.test", 35)):
    rdtype = "AAAA" if name == "big6.test" else "A"
    reply = dns.query.tcp(dns.message.make_query(name, rdtype), "127.0.0.1", timeout=2)
    got = sum(len(r) for r in reply.answer)
    failures += got != want
    print("ok   " if got == want else "FAIL ", name, "over TCP ->", got, "records")
# glibc itself gets the whole truncated answers (it retries over TCP).
for name, want in (("big4.test", 40), ("bigdual.test", 55)):
    out = subprocess.run(["getent", "ahosts", name], capture_output=True, text=True).stdout
    got = sum(" STREAM " in line for line in out.splitlines())
    failures += got != want
    print("ok   " if got == want else "FAIL ", "glibc getent ahosts", name, "->", got, "addresses")
print(f"fixtures: failed {failures}")
sys.exit(1 if failures else 0)
