#!/usr/bin/python3
"""A DNS server that misbehaves on purpose, for the fault tests.

It listens on UDP and TCP at one address and port (loopback or the sandbox's
own addresses only) and answers each query as the first matching rule says,
logs every query it receives, and stops by itself after --lifetime seconds.

    fault_dns.py --listen 127.0.0.10 [--port 53] [--rules FILE] [--rule RULE]...
                 [--log FILE] [--lifetime SECONDS]

The test driver (run_faults.py) imports FaultServer and runs several in
threads; the command line is for trying a rule by hand.

Rules, one per line (# starts a comment), the first match wins:

    NAME TYPE STEP [+ STEP]... [delay=MS] [proto=udp|tcp] [times=N]

NAME is a domain name (case-insensitive, trailing dot optional), "*" or
"*.SUFFIX"; TYPE a type name (A, AAAA, MX...) or "*". The STEPs are sent in
order, each as its own packet (on TCP each with its length prefix):

    answer RDATA...    records of the question's type (A: 192.0.2.1 ...);
                       "answer" alone is an empty NOERROR answer with RA set
    cname TARGET RDATA...   a CNAME to TARGET, then TARGET's records
    nodata             NOERROR, no answer, the zone's SOA in authority
    nxdomain           NXDOMAIN with the SOA
    servfail | refused | formerr | notimp    that rcode, no records
    lame               NOERROR, no records, neither RA nor AA (a lame delegation)
    truncate RDATA...  over UDP: TC set and no records; over TCP: the answer
    big N              N A records 198.18.x.y (oversized: not truncated)
    big6 N             N AAAA records 2001:db8:b16::x
    wrongid RDATA...   an answer whose ID is not the query's
    wrongq RDATA...    an answer to another question (NAME with "x" in front)
    short              5 bytes: the ID and part of the flags
    headeronly         a 12-byte header claiming one answer and no question
    truncq             a 12-byte header claiming one question and one answer
    badcount RDATA...  the answer with ANCOUNT 3 higher than the records sent
    garbage            the query's ID followed by 200 random bytes
    sleep MS           waits before the next step
    drop               sends nothing (UDP: silence; TCP: the connection stays
                       open and unanswered until the server stops)
    close              TCP: closes the connection without an answer (UDP: silence)

delay=MS waits before the first step; proto= limits the rule to one
transport; times=N applies the rule to its first N matching queries only
(later queries fall through to the next rules); ttl=S gives the records, and
the SOA's TTL and minimum field, a TTL of S seconds (default 0: nothing may
be cached). A query no rule matches gets
NXDOMAIN with the SOA.

Every query is logged as one line:
    <seconds since start> <udp|tcp> <client> id=<ID> <name> <TYPE> -> <steps>
"""
import argparse
import ipaddress
import os
import random
import select
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

SOA_TEXT = "ns.fault.test. hostmaster.fault.test. 1 3600 600 86400 0"
RCODE_STEPS = {
    "servfail": dns.rcode.SERVFAIL,
    "refused": dns.rcode.REFUSED,
    "formerr": dns.rcode.FORMERR,
    "notimp": dns.rcode.NOTIMP,
}
STEP_WORDS = set(RCODE_STEPS) | {
    "answer", "cname", "nodata", "lame", "nxdomain", "truncate", "big", "big6", "wrongid", "wrongq",
    "short", "headeronly", "truncq", "badcount", "garbage", "sleep", "drop", "close"}
MAX_LIFETIME = 3600


def address_allowed(address):
    """Loopback anywhere; the sandbox's own networks inside the sandbox only."""
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return True
    if os.environ.get("ARESOLV_SANDBOX") != "1":
        return False
    return any(ip in ipaddress.ip_network(net) for net in
               ("10.200.0.0/24", "2001:db8:200::/64", "fd00:200::/64"))


class CloseConnection(Exception):
    """Raised by the "close" step: the TCP connection is closed unanswered."""


class Rule:
    def __init__(self, line):
        words = line.split()
        if len(words) < 3:
            raise ValueError(f"rule needs NAME TYPE STEP: {line!r}")
        self.text = line.strip()
        self.name = words[0].lower().rstrip(".") or "."
        self.type = words[1].upper()
        if self.type != "*":
            dns.rdatatype.from_text(self.type)  # validates
        self.delay_ms = 0
        self.proto = None
        self.times = None
        self.ttl = 0
        self.steps = []
        current = None
        for word in words[2:]:
            key, eq, value = word.partition("=")
            if eq and key in ("delay", "proto", "times", "ttl"):
                if key == "ttl":
                    self.ttl = int(value)
                elif key == "delay":
                    self.delay_ms = int(value)
                elif key == "proto":
                    if value not in ("udp", "tcp"):
                        raise ValueError(f"proto must be udp or tcp: {line!r}")
                    self.proto = value
                else:
                    self.times = int(value)
                continue
            if word == "+":
                current = None
                continue
            if current is None:
                if word not in STEP_WORDS:
                    raise ValueError(f"unknown step {word!r} in {line!r}")
                current = [word]
                self.steps.append(current)
            else:
                current.append(word)
        if not self.steps:
            raise ValueError(f"rule without steps: {line!r}")
        self.used = 0

    def matches(self, qname, qtype, proto):
        if self.proto is not None and self.proto != proto:
            return False
        if self.times is not None and self.used >= self.times:
            return False
        if self.type != "*" and self.type != qtype:
            return False
        if self.name == "*":
            return True
        if self.name.startswith("*."):
            return qname.endswith(self.name[1:])
        return qname == self.name


def parse_rules(lines):
    rules = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            rules.append(Rule(line))
    return rules


def make_response(query, rcode=dns.rcode.NOERROR):
    response = dns.message.make_response(query, recursion_available=True)
    response.set_rcode(rcode)
    return response


def zone_of(qname):
    labels = qname.labels
    return dns.name.Name(labels[-3:]) if len(labels) > 2 else dns.name.root


def add_soa(response, qname, ttl=0):
    text = SOA_TEXT if ttl == 0 else SOA_TEXT.rsplit(" ", 1)[0] + f" {ttl}"
    soa = dns.rrset.from_text(zone_of(qname), ttl, "IN", "SOA", text)
    response.authority.append(soa)


def add_records(response, owner, rdtype, rdatas, ttl=0):
    if not rdatas:
        return
    rrset = dns.rrset.RRset(owner, dns.rdataclass.IN, rdtype)
    for text in rdatas:
        rrset.add(dns.rdata.from_text(dns.rdataclass.IN, rdtype, text), ttl)
    response.answer.append(rrset)


def wire(response):
    # No size limit (oversized answers stay whole), and records in the order
    # the rule gives them (dnspython shuffles them by default).
    return response.to_wire(max_size=65535, want_shuffle=False)


def render_step(step, query, raw_query, proto, ttl=0):
    """The packets one step sends (a list of bytes), or a float: seconds to wait."""
    word, args = step[0], step[1:]
    question = query.question[0]
    qname, rdtype = question.name, question.rdtype
    if word == "sleep":
        return float(args[0]) / 1000.0
    if word == "drop":
        return []
    if word == "close":
        if proto == "tcp":
            raise CloseConnection()
        return []
    if word in RCODE_STEPS:
        return [wire(make_response(query, RCODE_STEPS[word]))]
    if word in ("nodata", "nxdomain"):
        response = make_response(query, dns.rcode.NXDOMAIN if word == "nxdomain" else 0)
        response.flags |= dns.flags.AA
        add_soa(response, qname, ttl)
        return [wire(response)]
    if word == "lame":
        response = make_response(query)
        response.flags &= ~(dns.flags.RA | dns.flags.AA)
        return [wire(response)]
    if word == "answer":
        response = make_response(query)
        add_records(response, qname, rdtype, args, ttl)
        return [wire(response)]
    if word == "cname":
        response = make_response(query)
        target = dns.name.from_text(args[0])
        add_records(response, qname, dns.rdatatype.CNAME, [args[0]], ttl)
        add_records(response, target, rdtype, args[1:], ttl)
        return [wire(response)]
    if word == "truncate":
        response = make_response(query)
        if proto == "udp":
            response.flags |= dns.flags.TC
        else:
            add_records(response, qname, rdtype, args, ttl)
        return [wire(response)]
    if word in ("big", "big6"):
        count = int(args[0])
        response = make_response(query)
        if word == "big":
            texts = [f"198.18.{i // 250}.{i % 250 + 1}" for i in range(count)]
            add_records(response, qname, dns.rdatatype.A, texts, ttl)
        else:
            texts = [f"2001:db8:b16::{i + 1:x}" for i in range(count)]
            add_records(response, qname, dns.rdatatype.AAAA, texts, ttl)
        return [wire(response)]
    if word == "wrongid":
        response = make_response(query)
        add_records(response, qname, rdtype, args, ttl)
        packet = bytearray(wire(response))
        packet[0] ^= 0x5a
        packet[1] ^= 0xa5
        return [bytes(packet)]
    if word == "wrongq":
        other = dns.message.make_query(dns.name.from_text("x" + qname.to_text()), rdtype)
        other.id = query.id
        response = make_response(other)
        add_records(response, other.question[0].name, rdtype, args, ttl)
        return [wire(response)]
    if word == "short":
        return [raw_query[:2] + b"\x81\x80\x00"]
    if word == "headeronly":
        return [raw_query[:2] + struct.pack(">HHHHH", 0x8180, 0, 1, 0, 0)]
    if word == "truncq":
        return [raw_query[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0)]
    if word == "badcount":
        response = make_response(query)
        add_records(response, qname, rdtype, args, ttl)
        packet = bytearray(wire(response))
        ancount = struct.unpack(">H", packet[6:8])[0] + 3
        packet[6:8] = struct.pack(">H", ancount)
        return [bytes(packet)]
    if word == "garbage":
        rng = random.Random(query.id)
        return [raw_query[:2] + bytes(rng.randrange(256) for _ in range(200))]
    raise ValueError(word)


class FaultServer:
    """One misbehaving server: UDP and TCP on address:port, in daemon threads."""

    def __init__(self, address, port=53, rules=(), log_path=None, lifetime=120.0):
        if not address_allowed(address):
            raise ValueError(f"refusing to listen on {address}: loopback or sandbox addresses only")
        self.address, self.port = address, port
        self.rules = list(rules)
        self.lifetime = min(float(lifetime), MAX_LIFETIME)
        self.log_path = log_path
        self.log_lines = []
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.stopping = threading.Event()
        self.threads = []
        self.hanging = []  # TCP connections kept open without an answer
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self.udp = socket.socket(family, socket.SOCK_DGRAM)
        self.tcp = socket.socket(family, socket.SOCK_STREAM)
        for s in (self.udp, self.tcp):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, port))
        self.tcp.listen(16)

    # ---- life cycle ----
    def start(self):
        for target in (self._serve_udp, self._serve_tcp, self._expire):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            if t is not threading.current_thread():
                t.join(timeout=2)
        for s in [self.udp, self.tcp] + self.hanging:
            try:
                s.close()
            except OSError:
                pass

    def _expire(self):
        self.stopping.wait(self.lifetime)
        self.stopping.set()

    def set_rules(self, rules):
        with self.lock:
            self.rules = list(rules)

    def queries(self):
        with self.lock:
            return list(self.log_lines)

    def clear_log(self):
        with self.lock:
            self.log_lines.clear()

    # ---- answering ----
    def _choose(self, qname, qtype, proto):
        with self.lock:
            for rule in self.rules:
                if rule.matches(qname, qtype, proto):
                    rule.used += 1
                    return rule
        return None

    def _log(self, proto, client, qid, qname, qtype, what):
        line = (f"{time.monotonic() - self.started:.3f} {proto} {client} id={qid} "
                f"{qname} {qtype} -> {what}")
        with self.lock:
            self.log_lines.append(line)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(f"{self.address} {line}\n")

    def _plan(self, raw, proto, client):
        """(rule steps, parsed query) for a received packet; None to ignore it."""
        try:
            query = dns.message.from_wire(raw)
            question = query.question[0]
        except Exception as e:  # malformed queries are logged and dropped
            self._log(proto, client, "?", "?", "?", f"unparsable query ({type(e).__name__})")
            return None
        qname = question.name.to_text().lower().rstrip(".") or "."
        qtype = dns.rdatatype.to_text(question.rdtype)
        rule = self._choose(qname, qtype, proto)
        if rule is None:
            steps = [["nxdomain"]]
            delay = 0
            ttl = 0
            text = "nxdomain (default)"
        else:
            steps, delay, ttl, text = rule.steps, rule.delay_ms, rule.ttl, rule.text
        self._log(proto, client, query.id, qname, qtype, text)
        return steps, delay, ttl, query

    def _run_steps(self, plan, raw, proto, send):
        steps, delay_ms, ttl, query = plan
        if delay_ms and self.stopping.wait(delay_ms / 1000.0):
            return False
        sent_any = False
        for step in steps:
            try:
                out = render_step(step, query, raw, proto, ttl)
            except CloseConnection:
                raise
            except Exception as e:  # a rule that does not fit the question: say so, go on
                self._log(proto, "-", query.id, "-", "-", f"step {step} failed: {e!r}")
                return sent_any
            if isinstance(out, float):
                if self.stopping.wait(out):
                    return sent_any
                continue
            for packet in out:
                send(packet)
                sent_any = True
        return sent_any

    def _serve_udp(self):
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.udp], [], [], 0.1)
            if not ready:
                continue
            try:
                raw, client = self.udp.recvfrom(65535)
            except OSError:
                continue
            plan = self._plan(raw, "udp", client[0])
            if plan is None:
                continue

            def send(packet, client=client):
                try:
                    self.udp.sendto(packet, client)
                except OSError:
                    pass
            if plan[1] or any(step[0] == "sleep" for step in plan[0]):
                # Delayed answers must not hold up other queries.
                threading.Thread(target=self._run_steps, args=(plan, raw, "udp", send),
                                 daemon=True).start()
            else:
                self._run_steps(plan, raw, "udp", send)

    def _serve_tcp(self):
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.tcp], [], [], 0.1)
            if not ready:
                continue
            try:
                conn, client = self.tcp.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve_connection, args=(conn, client[0]),
                             daemon=True).start()

    def _serve_connection(self, conn, client):
        conn.settimeout(0.2)
        buffer = b""
        keep_open = False
        try:
            while not self.stopping.is_set():
                try:
                    chunk = conn.recv(65535)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                buffer += chunk
                while len(buffer) >= 2:
                    length = struct.unpack(">H", buffer[:2])[0]
                    if len(buffer) < 2 + length:
                        break
                    raw, buffer = buffer[2:2 + length], buffer[2 + length:]
                    plan = self._plan(raw, "tcp", client)
                    if plan is None:
                        continue

                    def send(packet):
                        conn.sendall(struct.pack(">H", len(packet)) + packet)
                    if not self._run_steps(plan, raw, "tcp", send):
                        keep_open = True
        except (OSError, CloseConnection):
            keep_open = False
        finally:
            if keep_open and not self.stopping.is_set():
                with self.lock:
                    self.hanging.append(conn)
            else:
                conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--rules", help="file with one rule per line")
    parser.add_argument("--rule", action="append", default=[], help="a rule (repeatable)")
    parser.add_argument("--log", help="append every query to this file (default: stderr)")
    parser.add_argument("--lifetime", type=float, default=60.0,
                        help=f"seconds before stopping (at most {MAX_LIFETIME})")
    args = parser.parse_args()
    lines = list(args.rule)
    if args.rules:
        with open(args.rules) as f:
            lines += f.read().splitlines()
    try:
        rules = parse_rules(lines)
        server = FaultServer(args.listen, args.port, rules, args.log, args.lifetime)
    except (ValueError, OSError) as e:
        print(f"fault_dns: {e}", file=sys.stderr)
        return 2
    server.start()
    printed = 0
    try:
        while not server.stopping.wait(0.2):
            if not args.log:
                lines = server.queries()
                for line in lines[printed:]:
                    print(line, file=sys.stderr, flush=True)
                printed = len(lines)
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
