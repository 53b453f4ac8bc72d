#!/usr/bin/python3
"""Fault tests: glibc and libaresolv.so (LD_PRELOAD) against misbehaving
nameservers (fault_dns.py) and the sandbox's dnsmasq, in the same run.

    run_faults.py --probe PATH/fault_probe --library PATH/libaresolv.so GROUP...

Runs inside scripts/sandbox.sh (its /etc is a private writable copy) and in
a UTS namespace of its own (unshare --uts), where the host name is set to one
without a dot so that glibc derives no search domain from it. GROUPs:
failover, rcodes, truncation, malformed, reload, options (or "all").

Each case writes /etc/resolv.conf, starts the servers it needs, runs the same
lookups through a fresh probe process as glibc and as aresolv, and compares
the results line by line, the query logs where they matter, and the times
where the case is about time. Exit status 0 when every case passed.
"""
import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from fault_dns import FaultServer, parse_rules  # noqa: E402
except ImportError as e:  # python3-dnspython missing: skip (77), or fail in CI
    strict = os.environ.get("CI") == "true" or os.environ.get("ARESOLV_REQUIRE_ROOT") == "1"
    print(f"{'FAIL' if strict else 'SKIP'}: fault tests need python3-dnspython "
          f"(run scripts/setup.sh): {e}", file=sys.stderr)
    sys.exit(1 if strict else 77)

NS1, NS2, NS3 = "127.0.0.11", "127.0.0.12", "127.0.0.13"
CLOSED1, CLOSED2 = "127.0.0.98", "127.0.0.99"  # nothing listens: ICMP port unreachable
DNSMASQ = "127.0.0.1"
HOSTS_BASE = None  # the fixture /etc/hosts, read at start

# Times: "within glibc's time" allows this much scheduling noise on top.
SLACK_MS = 250

failures = []
figures = []
totals = {"cases": 0, "lookups": 0, "identical": 0}


def log(message=""):
    print(message, flush=True)


def fail(case, message):
    failures.append(f"{case}: {message}")
    log(f"  FAIL {message}")


# ---- the world ---------------------------------------------------------------

def write_file_by_rename(path, text):
    tmp = path + ".fault-new"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.rename(tmp, path)


def write_file_in_place(path, text):
    with open(path, "r+") as f:
        f.truncate(0)
        f.write(text)


def resolv_conf(*nameservers, options="timeout:1 attempts:2", extra=""):
    lines = [f"nameserver {ns}" for ns in nameservers]
    if options:
        lines.append(f"options {options}")
    return "\n".join(lines) + "\n" + extra


class Servers:
    """The fault servers of one case, by address."""

    def __init__(self, rules_by_address):
        self.servers = {}
        for address, rules in rules_by_address.items():
            self.servers[address] = FaultServer(address, 53, parse_rules(rules),
                                                lifetime=120).start()
        self.rules = rules_by_address

    def reset(self):
        """Fresh logs and rule counters (times=N) for the next side of a comparison."""
        for address, server in self.servers.items():
            server.set_rules(parse_rules(self.rules[address]))
            server.clear_log()

    def queries(self, address=None):
        if address is not None:
            return self.servers[address].queries()
        out = []
        for address, server in self.servers.items():
            out += [f"{address} {line}" for line in server.queries()]
        return out

    def stop(self):
        for server in self.servers.values():
            server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Probe:
    """One fault_probe process; ask() sends a command and waits for its line."""

    def __init__(self, side):
        env = {k: v for k, v in os.environ.items()
               if k not in ("LOCALDOMAIN", "RES_OPTIONS", "HOSTALIASES", "LD_PRELOAD")
               and not (k.startswith("ARESOLV_") and k not in ("ARESOLV_SANDBOX",))}
        if side == "aresolv":
            env["LD_PRELOAD"] = ARGS.library
        self.side = side
        self.process = subprocess.Popen([ARGS.probe], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        self.buffer = b""
        self.dead = None

    def ask(self, command, limit_s=30.0):
        """(result, ms) for one command; result "HUNG" or "DIED(...)" when it never answered."""
        if self.dead:
            return self.dead, 0
        start = time.monotonic()
        try:
            self.process.stdin.write(command.encode() + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        deadline = start + limit_s
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.dead = "HUNG"
                self.close()
                return "HUNG", int((time.monotonic() - start) * 1000)
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    status = self.process.wait()
                    self.dead = f"DIED({status})"
                    return self.dead, int((time.monotonic() - start) * 1000)
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        result, _, ms = line.decode(errors="replace").partition("\t")
        return result, int(ms or 0)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_side(side, commands, servers=None, setup=None, limit_s=30.0):
    """Runs the commands through one fresh probe; returns [(command, result, ms)]."""
    if servers is not None:
        servers.reset()
    if setup is not None:
        setup()
    out = []
    with Probe(side) as probe:
        for command in commands:
            result, ms = probe.ask(command, limit_s)
            out.append((command, result, ms))
    return out


def compare(case, commands, servers=None, setup=None, limit_s=30.0, timing=None,
            expect=None, same_queries=False, same_counts=False):
    """Runs glibc then aresolv and checks them. timing: None, or "within"
    (aresolv no slower than glibc, allowing 25% + SLACK_MS), or a factor (aresolv
    at most factor x glibc + SLACK_MS). expect: {command index: result prefix}
    that glibc must give too (proves the case tests what it says).
    same_queries: the servers saw the same questions over the same transports
    from both; same_counts: as often, too (attempts)."""
    log(f"case {case}")
    totals["cases"] += 1
    sides = {}
    logs = {}
    for side in ("glibc", "aresolv"):
        sides[side] = run_side(side, commands, servers, setup, limit_s)
        logs[side] = servers.queries() if servers is not None else []
    ok = True
    for (command, g, g_ms), (_, a, a_ms) in zip(sides["glibc"], sides["aresolv"]):
        same = g == a
        totals["lookups"] += 1
        totals["identical"] += same
        log(f"  {command:<36} glibc {g_ms:>5} ms  aresolv {a_ms:>5} ms  "
            f"{'same' if same else 'DIFFERENT'}: {a}")
        if not same:
            log(f"  {'':<36} glibc said: {g}")
            fail(case, f"{command}: glibc {g!r}, aresolv {a!r}")
            ok = False
        if timing is not None and same:
            factor = 1.25 if timing == "within" else float(timing)
            limit = g_ms * factor + SLACK_MS
            if a_ms > limit:
                fail(case, f"{command}: aresolv took {a_ms} ms, more than {limit:.0f} ms "
                     f"(glibc {g_ms} ms x {factor})")
                ok = False
            figures.append((case, command, g_ms, a_ms))
    for index, prefix in (expect or {}).items():
        g = sides["glibc"][index][1]
        if not g.startswith(prefix):
            fail(case, f"glibc gave {g!r} for {commands[index]!r}, the case expects {prefix!r}")
            ok = False
    if servers is not None:
        check_query_ids(case, logs["aresolv"])
    if same_queries:
        def shape(lines):
            # Which servers were asked what over which transport (not how
            # often: glibc's getaddrinfo asks again when its buffer was small).
            return {(l.split()[0], l.split()[2], l.split()[5], l.split()[6]) for l in lines}
        if shape(logs["glibc"]) != shape(logs["aresolv"]):
            only_glibc = sorted(shape(logs["glibc"]) - shape(logs["aresolv"]))
            only_ours = sorted(shape(logs["aresolv"]) - shape(logs["glibc"]))
            fail(case, f"the servers saw different queries: only from glibc {only_glibc}, "
                 f"only from aresolv {only_ours}")
    if same_counts:
        def counts(lines):
            out = {}
            for l in lines:
                key = (l.split()[0], l.split()[2], l.split()[5], l.split()[6])
                out[key] = out.get(key, 0) + 1
            return out
        if counts(logs["glibc"]) != counts(logs["aresolv"]):
            fail(case, f"query counts differ: glibc {counts(logs['glibc'])}, "
                 f"aresolv {counts(logs['aresolv'])}")
        else:
            log(f"  queries (both): {sum(counts(logs['glibc']).values())}")
            ok = False
    return ok, sides, logs


def check_query_ids(case, lines):
    """Query IDs must be unpredictable: distinct questions get distinct IDs
    (a fixed ID leaves only the source port to guess for a spoofer)."""
    ids = {}
    for line in lines:
        words = line.split()
        ids.setdefault((words[5], words[6]), set()).add(words[4])
    distinct = set().union(*ids.values()) if ids else set()
    if len(ids) >= 4 and len(distinct) < 0.75 * len(ids):
        fail(case, f"aresolv used {len(distinct)} query IDs for {len(ids)} questions: "
             f"{sorted(distinct)[:8]}")


# ---- groups --------------------------------------------------------------------

WHO_RULES = {NS1: ["who.test A answer 192.0.2.1", "who.test AAAA answer 2001:db8::1"],
             NS2: ["who.test A answer 192.0.2.2", "who.test AAAA answer 2001:db8::2"],
             NS3: ["who.test A answer 192.0.2.3", "who.test AAAA answer 2001:db8::3"]}


def group_failover():
    lookups = ["gai dual.test AF_UNSPEC", "gai a4.test AF_INET", "ghbn multi4.test",
               "gai nx.test AF_UNSPEC"]
    # A closed port answers at once with ICMP: the next server is asked at once.
    write_file_by_rename("/etc/resolv.conf", resolv_conf(CLOSED1, DNSMASQ))
    compare("first nameserver closed (port unreachable), then dnsmasq", lookups,
            timing="within", expect={0: "ret=0"})
    if os.path.exists("/proc/net/if_inet6"):
        write_file_by_rename("/etc/resolv.conf", resolv_conf("::2", "::1"))
        compare("IPv6: first nameserver ::2 unreachable (silent), then dnsmasq on ::1",
                ["gai dual.test AF_UNSPEC", "ghbn2 a6.test AF_INET6"], timing="within",
                expect={0: "ret=0"})
    # A server that swallows queries: glibc waits `timeout` and moves on.
    with Servers({NS1: ["* * drop"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, DNSMASQ))
        compare("first nameserver silent, then dnsmasq (timeout:1 attempts:2)", lookups,
                servers, timing="within", expect={0: "ret=0"}, same_queries=True)
    with Servers({NS1: ["* * drop"], NS2: WHO_RULES[NS2]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, NS2))
        compare("first nameserver silent, then a fault server",
                ["gai who.test AF_UNSPEC", "ghbn who.test"], servers, timing="within",
                expect={0: "ret=0"}, same_queries=True)
    # Every server silent: EAI_AGAIN within 1.5 x glibc's own time.
    with Servers({NS1: ["* * drop"], NS2: ["* * drop"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, NS2))
        compare("every nameserver silent (timeout:1 attempts:2)",
                ["gai dead.test AF_UNSPEC", "ghbn dead.test"], servers, timing=1.5,
                expect={0: "ret=EAI_AGAIN"}, same_queries=True)
    # One of A and AAAA never answered (a firewall that drops AAAA): glibc
    # waits, asks again one question at a time, then on a new socket, and
    # settles for the answer it has.
    with Servers({NS1: ["half.test A answer 192.0.2.90", "half.test AAAA drop",
                        "half6.test AAAA answer 2001:db8::90", "half6.test A drop"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        # The second lookup runs in the single-request mode the first one
        # switched the thread to (glibc keeps it in _res.options).
        compare("A answered, AAAA never (timeout:1 attempts:2)",
                ["gai half.test AF_UNSPEC", "gai half6.test AF_UNSPEC"], servers, timing="within",
                same_queries=True, same_counts=True)
        compare("AAAA answered, A never, in a fresh process", ["gai half6.test AF_UNSPEC"],
                servers, timing="within", same_queries=True, same_counts=True)
    write_file_by_rename("/etc/resolv.conf", resolv_conf(CLOSED1, CLOSED2))
    compare("every nameserver closed", ["gai dead.test AF_UNSPEC", "ghbn dead.test",
                                        "res dead.test 1"], timing=1.5,
            expect={0: "ret=EAI_AGAIN"})


def group_rcodes():
    codes = ["servfail", "refused", "formerr", "notimp", "nxdomain", "nodata"]
    rules = [f"{code}.test * {code}" for code in codes]
    # Only one family fails: the other answer stands (or not) as in glibc.
    rules += ["a-servfail.test A servfail", "a-servfail.test AAAA answer 2001:db8::5",
              "aaaa-servfail.test AAAA servfail", "aaaa-servfail.test A answer 192.0.2.5",
              "aaaa-refused.test AAAA refused", "aaaa-refused.test A answer 192.0.2.6",
              "aaaa-nxdomain.test AAAA nxdomain", "aaaa-nxdomain.test A answer 192.0.2.7",
              "a-formerr.test A formerr", "a-formerr.test AAAA answer 2001:db8::8",
              "empty.test * answer", "lame.test * lame",
              "a-lame.test A lame", "a-lame.test AAAA answer 2001:db8::9"]
    names = codes + ["a-servfail", "aaaa-servfail", "aaaa-refused", "aaaa-nxdomain",
                     "a-formerr", "empty", "lame", "a-lame"]
    lookups = []
    for name in names:
        lookups += [f"gai {name}.test AF_UNSPEC", f"gai {name}.test AF_INET",
                    f"ghbn {name}.test", f"ghbn2 {name}.test AF_INET6", f"res {name}.test 1"]
    with Servers({NS1: rules}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        compare("each rcode from the only nameserver", lookups, servers,
                expect={0: "ret=EAI_AGAIN", 20: "ret=EAI_NONAME", 25: "ret=EAI_NODATA"})
    # The ones glibc skips a server for: the second server's answer is taken.
    skip_lookups = []
    for code in ("servfail", "refused", "notimp", "formerr", "nxdomain", "lame", "a-lame",
                 "a-servfail", "aaaa-refused"):
        skip_lookups += [f"gai {code}.test AF_UNSPEC", f"ghbn {code}.test"]
    second = {NS1: rules,
              NS2: ["* A answer 192.0.2.2", "* AAAA answer 2001:db8::2"]}
    with Servers(second) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, NS2))
        compare("each rcode from the first nameserver, the second answers", skip_lookups,
                servers, timing="within", expect={0: "ret=0"}, same_queries=True)
    # Through the search list: which error ends the search, which lets it go on.
    search = ["host.s1.test * servfail", "host.s2.test A answer 192.0.2.80",
              "host.s2.test AAAA answer 2001:db8::80",
              "ref.s1.test * refused", "ref.s2.test A answer 192.0.2.81",
              "nxd.s1.test * nxdomain", "nxd.s2.test A answer 192.0.2.82",
              "nod.s1.test * nodata", "nod.s2.test * nxdomain",
              "fe.s1.test * formerr", "fe.s2.test A answer 192.0.2.83"]
    with Servers({NS1: search}) as servers:
        write_file_by_rename("/etc/resolv.conf",
                             resolv_conf(NS1, extra="search s1.test s2.test\n"))
        lookups = []
        for name in ("host", "ref", "nxd", "nod", "fe"):
            lookups += [f"gai {name} AF_UNSPEC", f"ghbn {name}", f"res {name} 1"]
        compare("errors through the search list", lookups, servers,
                expect={0: "ret=0", 6: "ret=0"}, same_queries=True)
    # dnsmasq's own negative answers.
    write_file_by_rename("/etc/resolv.conf", resolv_conf(DNSMASQ))
    compare("dnsmasq: NXDOMAIN and NODATA",
            ["gai nx.test AF_UNSPEC", "gai txtonly.test AF_UNSPEC", "gai a4.test AF_INET6",
             "ghbn txtonly.test", "ghbn nx.test", "ghbn2 a6.test AF_INET"],
            expect={0: "ret=EAI_NONAME", 1: "ret=EAI_NODATA"})


def group_truncation():
    rules = ["tc.test A truncate 192.0.2.50 192.0.2.51",
             "tc.test AAAA truncate 2001:db8::50",
             "tc-a.test A truncate 192.0.2.52", "tc-a.test AAAA answer 2001:db8::52",
             # Oversized (> 512 bytes, no TC): glibc takes them as they come
             # over UDP. huge: more than c-ares' own 4 KiB UDP buffer. (At most
             # 64 addresses for getaddrinfo: aresolv's NameResult holds 64.)
             "big.test A big 40", "big.test AAAA big6 20",
             "huge.test A big 400", "huge.test AAAA big6 300",
             # The same while TCP is dead.
             "big-notcp.test * drop proto=tcp", "big-notcp.test A big 40",
             "big-notcp.test AAAA big6 20",
             "huge-notcp.test * drop proto=tcp", "huge-notcp.test A big 400",
             "huge-notcp.test AAAA big6 300"]
    lookups = ["gai tc.test AF_UNSPEC", "gai tc.test AF_INET", "ghbn tc.test",
               "res tc.test 1",
               "gai big.test AF_UNSPEC", "ghbn big.test", "ghbn huge.test",
               "ghbn2 huge.test AF_INET6", "res huge.test 1",
               "gai big-notcp.test AF_UNSPEC", "ghbn big-notcp.test",
               "ghbn2 huge-notcp.test AF_INET6", "ghbn huge-notcp.test",
               "res huge-notcp.test 28"]
    with Servers({NS1: rules}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        ok, sides, logs = compare("truncated UDP answers and oversized answers", lookups,
                                  servers, expect={0: "ret=0", 4: "ret=0"}, same_queries=True)
        # glibc's send_vc asks both questions again over TCP when one UDP
        # answer was truncated; aresolv only the truncated one: same answers.
        compare("one of A and AAAA truncated", ["gai tc-a.test AF_UNSPEC"], servers,
                expect={0: "ret=0"})
    # edns0 (OPT with 1200 bytes) and use-vc (TCP only).
    with Servers({NS1: rules + WHO_RULES[NS1]}) as servers:
        for options in ("edns0", "use-vc"):
            write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, options=options))
            compare(f"options {options}",
                    ["gai who.test AF_UNSPEC", "gai tc.test AF_UNSPEC", "gai big.test AF_UNSPEC",
                     "ghbn2 huge.test AF_INET6", "res big.test 1", "res tc.test 28"],
                    servers, expect={0: "ret=0"}, same_queries=True)
    write_file_by_rename("/etc/resolv.conf", resolv_conf(DNSMASQ))
    compare("dnsmasq: truncated answers (TC, then TCP)",
            ["gai big4.test AF_UNSPEC", "gai bigdual.test AF_UNSPEC", "ghbn2 big6.test AF_INET6",
             "res big4.test 1"], expect={0: "ret=0"})
    write_file_by_rename("/etc/resolv.conf", resolv_conf(DNSMASQ, options="edns0"))
    compare("dnsmasq, options edns0: large answers over UDP",
            ["gai big4.test AF_UNSPEC", "gai bigdual.test AF_UNSPEC", "ghbn2 big6.test AF_INET6",
             "res big4.test 1", "res bigdual.test 28"], expect={0: "ret=0"})
    # TC over UDP, and a TCP listener that accepts and never answers. glibc
    # 2.36's send_vc reads without a timeout and waits forever; we must not.
    # TC over UDP, and TCP connections closed unanswered (a busy server):
    # the next server's answer.
    with Servers({NS1: ["* * close proto=tcp", "* A truncate 192.0.2.1",
                        "* AAAA truncate 2001:db8::1"],
                  NS2: ["* A answer 192.0.2.2", "* AAAA answer 2001:db8::2"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, NS2))
        compare("TC, then the TCP connection closed unanswered; a second server",
                ["gai tcclose.test AF_UNSPEC", "ghbn tcclose.test", "res tcclose.test 1"],
                servers, timing="within", expect={0: "ret=0"}, same_queries=True)
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        compare("TC, then the TCP connection closed unanswered; no other server",
                ["gai tcclose.test AF_UNSPEC", "ghbn tcclose.test", "res tcclose.test 1"],
                servers, timing="within", same_queries=True)
    # TC, then a TCP answer shorter than a header: glibc's send_vc gives up
    # on that server at once.
    with Servers({NS1: ["* * short proto=tcp", "* A truncate 192.0.2.1",
                        "* AAAA truncate 2001:db8::1"],
                  NS2: ["* A answer 192.0.2.2", "* AAAA answer 2001:db8::2"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, NS2))
        compare("TC, then a short TCP answer; a second server",
                ["gai tcshort.test AF_UNSPEC", "ghbn tcshort.test", "res tcshort.test 1"],
                servers, timing="within", expect={0: "ret=0"}, same_queries=True)
    with Servers({NS1: ["tchang.test * drop proto=tcp", "tchang.test * truncate"]}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1, options="timeout:1 attempts:1"))
        case = "TC, then a TCP server that never answers"
        log(f"case {case}")
        glibc = run_side("glibc", ["gai tchang.test AF_UNSPEC"], servers, limit_s=4)
        ours = run_side("aresolv", ["gai tchang.test AF_UNSPEC", "ghbn tchang.test"], servers,
                        limit_s=10)
        log(f"  glibc: {glibc[0][1]} after {glibc[0][2]} ms (send_vc has no timeout)")
        for command, result, ms in ours:
            log(f"  aresolv {command}: {result} after {ms} ms")
            if result.startswith("HUNG") or result.startswith("DIED"):
                fail(case, f"{command}: aresolv {result}")
            elif ms > 1000 * 1.5 + SLACK_MS:
                fail(case, f"{command}: aresolv took {ms} ms (timeout:1)")
        figures.append((case, "gai tchang.test AF_UNSPEC", glibc[0][2], ours[0][2]))


def group_malformed():
    rules = ["short.test A short + answer 192.0.2.61",
             "short.test AAAA short + answer 2001:db8::61",
             "headeronly.test A headeronly + answer 192.0.2.62",
             "headeronly.test AAAA headeronly + answer 2001:db8::62",
             "wrongid.test A wrongid 192.0.2.99 + answer 192.0.2.63",
             "wrongid.test AAAA wrongid 2001:db8::99 + answer 2001:db8::63",
             "wrongq.test A wrongq 192.0.2.99 + answer 192.0.2.64",
             "wrongq.test AAAA wrongq 2001:db8::99 + answer 2001:db8::64",
             "garbage.test A garbage + answer 192.0.2.65",
             "garbage.test AAAA garbage + answer 2001:db8::65",
             "badcount.test A badcount 192.0.2.66", "badcount.test AAAA answer 2001:db8::66",
             "wrongid-only.test * wrongid 192.0.2.99",
             "garbage-only.test * garbage",
             "delayed.test A answer 192.0.2.67 delay=300",
             "delayed.test AAAA answer 2001:db8::67 delay=300",
             "late.test A answer 192.0.2.68 delay=1300",
             "late.test AAAA answer 2001:db8::68 delay=1300"]
    lookups = []
    for name in ("short", "headeronly", "wrongid", "wrongq", "garbage", "badcount",
                 "wrongid-only", "garbage-only", "delayed", "late"):
        lookups += [f"gai {name}.test AF_UNSPEC", f"ghbn {name}.test"]
    with Servers({NS1: rules}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        compare("malformed, mismatched and late answers", lookups, servers,
                expect={4: "ret=0", 6: "ret=0", 18: "ret=0"}, timing=1.5)
    # A header that claims a question and ends there: glibc's
    # res_queriesmatch is given the end of its buffer, not of the response,
    # and reads stale bytes past it, so whether it takes the packet depends on
    # old memory. aresolv ignores it and takes the answer that follows.
    rules = ["truncq.test A truncq + answer 192.0.2.69",
             "truncq.test AAAA truncq + answer 2001:db8::69"]
    with Servers({NS1: rules}) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        case = "a header claiming a question that is not there"
        log(f"case {case}")
        glibc = run_side("glibc", ["gai truncq.test AF_UNSPEC", "ghbn truncq.test"], servers)
        ours = run_side("aresolv", ["gai truncq.test AF_UNSPEC", "ghbn truncq.test"], servers)
        wanted = ["ret=0 canon=truncq.test addrs=2001:db8::69,192.0.2.69",
                  "h_errno=0 name=truncq.test aliases= addrs=192.0.2.69"]
        for (command, g, _), (_, a, _), w in zip(glibc, ours, wanted):
            log(f"  {command:<36} glibc: {g}; aresolv: {a}")
            if a != w:
                fail(case, f"{command}: aresolv {a!r}, wanted {w!r}")


def group_reload():
    rules = dict(WHO_RULES)
    case = "resolv.conf and /etc/hosts changed under a running process"
    with Servers(rules) as servers:
        steps = [
            ("start", lambda: write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1)),
             "gai who.test AF_INET", "192.0.2.1"),
            ("resolv.conf replaced (rename)",
             lambda: write_file_by_rename("/etc/resolv.conf", resolv_conf(NS2)),
             "gai who.test AF_INET", "192.0.2.2"),
            ("resolv.conf edited in place",
             lambda: write_file_in_place("/etc/resolv.conf", resolv_conf(NS3)),
             "gai who.test AF_INET", "192.0.2.3"),
            ("/etc/hosts replaced (rename)",
             lambda: write_file_by_rename("/etc/hosts", HOSTS_BASE + "192.0.2.77 who.test\n"),
             "gai who.test AF_INET", "192.0.2.77"),
            ("/etc/hosts edited in place",
             lambda: write_file_in_place("/etc/hosts", HOSTS_BASE + "192.0.2.78 who.test\n"),
             "gai who.test AF_INET", "192.0.2.78"),
            ("/etc/hosts line removed (rename)",
             lambda: write_file_by_rename("/etc/hosts", HOSTS_BASE),
             "gai who.test AF_INET", "192.0.2.3"),
            ("resolv.conf removed (glibc: 127.0.0.1)",
             lambda: os.unlink("/etc/resolv.conf"), "gai a4.test AF_INET", "198.51.100.1"),
            ("resolv.conf back", lambda: write_file_by_rename("/etc/resolv.conf",
                                                              resolv_conf(NS1)),
             "gai who.test AF_INET", "192.0.2.1"),
        ]
        log(f"case {case}")
        for side in ("glibc", "aresolv"):
            servers.reset()
            write_file_by_rename("/etc/hosts", HOSTS_BASE)
            with Probe(side) as probe:
                for label, change, command, wanted in steps:
                    change()
                    at_once, _ = probe.ask(command)
                    time.sleep(1.1)
                    later, _ = probe.ask(command)
                    seen_at_once = wanted in at_once
                    log(f"  {side:<7} {label:<40} at once: {'seen' if seen_at_once else 'not yet'}"
                        f"; after 1.1 s: {later}")
                    if wanted not in later:
                        fail(case, f"{side}: {label}: {command} gave {later!r} a second after "
                             f"the change (wanted {wanted})")
                    figures.append((f"reload {label}", side, seen_at_once, wanted in later))
        write_file_by_rename("/etc/hosts", HOSTS_BASE)
    # What is kept in memory (the DNS cache, and the answers each thread
    # repeats) ends with the TTL: short.test lives 2 s; asked every half second
    # for 3.5 s it is asked at the start and once more two seconds later.
    case = "an answer with a TTL of 2 s asked every 0.5 s for 3.5 s"
    rules = {NS1: ["short.test A answer 192.0.2.5 ttl=2", "short.test AAAA nodata ttl=2"]}
    with Servers(rules) as servers:
        write_file_by_rename("/etc/resolv.conf", resolv_conf(NS1))
        time.sleep(2.5)  # a settled resolv.conf: its check is remembered too
        log(f"case {case}")
        answers = {}
        for side in ("glibc", "aresolv"):
            servers.reset()
            with Probe(side) as probe:
                answers[side] = []
                for _ in range(8):
                    answers[side].append(probe.ask("gai short.test AF_UNSPEC")[0])
                    time.sleep(0.5)
            asked = sum(1 for line in servers.queries(NS1) if " short.test A " in line)
            log(f"  {side:<7} asked the server {asked} time(s)")
            wanted = 8 if side == "glibc" else 2
            if asked != wanted:
                fail(case, f"{side}: short.test A asked {asked} times, expected {wanted}")
        if answers["glibc"] != answers["aresolv"]:
            fail(case, f"answers differ: glibc {answers['glibc']}, aresolv {answers['aresolv']}")
    # No resolv.conf at all from the start.
    os.unlink("/etc/resolv.conf")
    compare("resolv.conf missing (127.0.0.1: dnsmasq)",
            ["gai a4.test AF_UNSPEC", "ghbn dual.test", "res a4.test 1"],
            expect={0: "ret=0"})
    write_file_by_rename("/etc/resolv.conf", "")
    compare("resolv.conf empty (127.0.0.1: dnsmasq)", ["gai a4.test AF_UNSPEC"],
            expect={0: "ret=0"})


def group_options():
    # rotate: successive requests start at successive servers.
    with Servers(WHO_RULES) as servers:
        lookups = ["gai who.test AF_INET"] * 6 + ["ghbn who.test"] * 3
        for options, rotating in (("rotate", True), ("", False)):
            write_file_by_rename("/etc/resolv.conf",
                                 resolv_conf(NS1, NS2, NS3, options=options))
            case = f"three nameservers, options '{options}'"
            log(f"case {case}")
            for side in ("glibc", "aresolv"):
                results = run_side(side, lookups, servers)
                order = [int(r.split("192.0.2.")[1].split(",")[0]) if "192.0.2." in r else 0
                         for _, r, _ in results]
                log(f"  {side:<7} servers answering in turn: {order}")
                if rotating:
                    steps = {(b - a) % 3 for a, b in zip(order, order[1:])}
                    if 0 in order or steps != {1}:
                        fail(case, f"{side}: not rotating: {order}")
                elif set(order) != {1}:
                    fail(case, f"{side}: not always the first server: {order}")
    # attempts: the first query(s) dropped, then answered.
    for attempts, dropped in ((1, 1), (2, 1), (3, 2), (2, 2)):
        rules = {NS1: [f"who.test A drop times={dropped}", "who.test A answer 192.0.2.1",
                       f"who.test AAAA drop times={dropped}", "who.test AAAA answer 2001:db8::1"]}
        with Servers(rules) as servers:
            write_file_by_rename("/etc/resolv.conf",
                                 resolv_conf(NS1, options=f"timeout:1 attempts:{attempts}"))
            expect = "ret=0" if attempts > dropped else "ret=EAI_AGAIN"
            compare(f"attempts:{attempts}, the first {dropped} queries dropped",
                    ["gai who.test AF_INET"], servers, timing="within", expect={0: expect},
                    same_queries=True, same_counts=True)
            compare(f"attempts:{attempts}, the first {dropped} queries dropped (A+AAAA)",
                    ["gai who.test AF_UNSPEC"], servers, timing="within", same_queries=True,
                    same_counts=True)
    # timeout: how long a silent server is waited for.
    with Servers({NS1: ["* * drop"], NS2: ["* * drop"]}) as servers:
        for ns, options in (((NS1,), "timeout:2 attempts:1"), ((NS1,), "timeout:1 attempts:3"),
                            ((NS1, NS2), "timeout:2 attempts:1")):
            write_file_by_rename("/etc/resolv.conf", resolv_conf(*ns, options=options))
            ok, sides, _ = compare(f"{len(ns)} silent nameserver(s), {options}",
                                   ["gai slow.test AF_INET"], servers, timing="within",
                                   expect={0: "ret=EAI_AGAIN"}, same_queries=True,
                                   same_counts=True)
            g_ms, a_ms = sides["glibc"][0][2], sides["aresolv"][0][2]
            if a_ms < g_ms * 0.75 - SLACK_MS:
                fail(f"timeout {options}", f"aresolv gave up after {a_ms} ms, glibc {g_ms} ms")


GROUPS = {"failover": group_failover, "rcodes": group_rcodes, "truncation": group_truncation,
          "malformed": group_malformed, "reload": group_reload, "options": group_options}


def main():
    global ARGS, HOSTS_BASE
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("groups", nargs="+")
    ARGS = parser.parse_args()
    if os.environ.get("ARESOLV_SANDBOX") != "1":
        print("run_faults.py: must run inside scripts/sandbox.sh", file=sys.stderr)
        return 2
    # unshare execs us: our parent is still in the sandbox's UTS namespace.
    if os.readlink("/proc/self/ns/uts") == os.readlink(f"/proc/{os.getppid()}/ns/uts"):
        print("run_faults.py: must run in a UTS namespace of its own (unshare --uts)",
              file=sys.stderr)
        return 2
    socket.sethostname("faulthost")
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    with open("/etc/hosts") as f:
        HOSTS_BASE = f.read()
    saved_resolv = open("/etc/resolv.conf").read()
    names = list(GROUPS) if ARGS.groups == ["all"] else ARGS.groups
    started = time.monotonic()
    for name in names:
        log(f"== fault group {name}")
        GROUPS[name]()
    write_file_by_rename("/etc/resolv.conf", saved_resolv)
    log("")
    log("FIGURES (case | lookup | glibc ms | aresolv ms)")
    for case, command, g, a in figures:
        log(f"  {case} | {command} | {g} | {a}")
    log(f"fault {' '.join(names)}: {totals['cases']} compared cases, "
        f"{totals['identical']} of {totals['lookups']} lookups identical to glibc")
    log(f"fault {' '.join(names)}: {len(failures)} failure(s) in "
        f"{time.monotonic() - started:.1f} s")
    for failure in failures:
        log(f"  FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
