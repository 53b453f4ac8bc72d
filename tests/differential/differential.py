#!/usr/bin/env python3
"""Differential test driver: glibc against libaresolv.so, in the sandbox.

Runs gai_probe over a query file inside scripts/sandbox.sh three times: twice
with plain glibc (to prove glibc itself answers deterministically in the
sandbox; the second run asks the queries in reverse order, so that an answer
depending on earlier queries shows up) and once with LD_PRELOAD=libaresolv.so; then compares the output
blocks query by query. See run_differential.sh for the command line.

A probe that crashes or times out on one query is restarted after it (the
block is reported as such), so one crash does not hide the rest of the run.

Exit status: 0 when every query is identical and glibc was deterministic,
77 when the sandbox cannot run (unless CI=true or ARESOLV_REQUIRE_ROOT=1, then
1), 1 otherwise.
"""

import argparse
import collections
import difflib
import os
import re
import signal
import subprocess
import sys

SKIP = 77


class SandboxSkipped(Exception):
    pass


class RunFailed(Exception):
    pass


def count_queries(path):
    count = 0
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            stripped = line.strip(" \t\r\n")
            if stripped and not stripped.startswith("#"):
                count += 1
    return count


def parse_blocks(text):
    """Returns (providers, {number: [lines]}) ; a block is complete when its
    last line is 'end'."""
    providers = {}
    blocks = {}
    current = None
    for line in text.split("\n"):
        if line.startswith("# ") and current is None:
            m = re.match(r"# (\w+) from (.*)", line)
            if m:
                providers[m.group(1)] = m.group(2)
            continue
        if line.startswith("### "):
            number = int(line.split(" ", 2)[1])
            current = [line]
            blocks[number] = current
            continue
        if current is not None and line != "":
            current.append(line)
    return providers, blocks


def describe_status(rc):
    if rc is None:
        return "no status"
    if rc < 0:
        try:
            return "killed by " + signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    if rc == 124:
        return "timed out"
    if rc > 128 and rc - 128 < 65:
        try:
            return "killed by " + signal.Signals(rc - 128).name
        except ValueError:
            pass
    return "exit status %d" % rc


def reversed_queries(args):
    """The query file in reverse order: a second glibc run over it proves that
    no answer depends on the queries before it (DNS server state, caches)."""
    with open(args.queries, encoding="utf-8", errors="surrogateescape") as f:
        lines = [l for l in f.read().split("\n")
                 if l.strip(" \t\r") and not l.strip(" \t\r").startswith("#")]
    path = os.path.join(args.workdir, "queries-reversed.txt")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(reversed(lines)) + "\n")
    return path


def renumber_reversed(blocks, total):
    renumbered = {}
    for number, lines in blocks.items():
        original = total + 1 - number
        query = lines[0].split(" ", 2)[2] if lines[0].count(" ") >= 2 else ""
        renumbered[original] = ["### %d %s" % (original, query)] + lines[1:]
    return renumbered


def run_side(args, name, preload, total, reverse=False):
    """Runs the probe over all queries; returns (providers, blocks)."""
    os.makedirs(args.workdir, exist_ok=True)
    queries = reversed_queries(args) if reverse else args.queries
    out_path = os.path.join(args.workdir, name + ".out")
    log_path = os.path.join(args.workdir, name + ".log")
    blocks = {}
    providers = {}
    skip = 0
    attempt = 0
    with open(out_path, "w") as combined, open(log_path, "w") as log:
        while skip < total:
            attempt += 1
            part = os.path.join(args.workdir, "%s.part%d" % (name, attempt))
            command = [args.sandbox]
            if args.fixtures:
                command += ["--fixtures", args.fixtures]
            command += ["--", "env"]
            command += ["LD_PRELOAD=" + preload] if preload else ["-u", "LD_PRELOAD"]
            command += [args.probe, "--input", queries, "--output", part,
                        "--skip", str(skip), "--timeout", str(args.query_timeout)]
            log.write("$ " + " ".join(command) + "\n")
            log.flush()
            if os.path.exists(part):
                os.unlink(part)
            env = dict(os.environ)
            env.pop("LD_PRELOAD", None)
            proc = subprocess.run(command, stdout=log, stderr=log, env=env,
                                  stdin=subprocess.DEVNULL)
            rc = proc.returncode
            log.write("-> %s\n" % describe_status(rc))
            if rc == SKIP and not os.path.exists(part):
                raise SandboxSkipped("scripts/sandbox.sh exited 77 (needs root and unshare)")
            text = ""
            if os.path.exists(part):
                with open(part, encoding="utf-8", errors="surrogateescape") as f:
                    text = f.read()
                os.unlink(part)
            combined.write(text)
            part_providers, part_blocks = parse_blocks(text)
            providers.update(part_providers)
            if not part_blocks:
                log.flush()
                with open(log_path, errors="replace") as f:
                    tail = "".join(f.readlines()[-6:])
                raise RunFailed(
                    "%s run: the probe produced no result (%s); the end of %s:\n%s"
                    % (name, describe_status(rc), log_path, tail))
            blocks.update(part_blocks)
            last = max(part_blocks)
            if part_blocks[last][-1] != "end":
                why = ("TIMEOUT (no answer within %d s)" % args.query_timeout
                       if part_blocks[last][-1] == "TIMEOUT" else
                       "CRASH (%s)" % describe_status(rc))
                if part_blocks[last][-1] == "TIMEOUT":
                    part_blocks[last].pop()
                part_blocks[last].append("!!! probe died here: " + why)
                skip = last
                continue
            if rc != 0 and last != total and rc != SKIP:
                # The output is complete, so the probe died in freeaddrinfo.
                part_blocks[last].append("!!! probe died here: CRASH after the output, "
                                         "in freeaddrinfo (%s)" % describe_status(rc))
                skip = last
                continue
            if rc != 0 or last != total:
                raise RunFailed("%s run stopped after query %d of %d (%s); see %s"
                                % (name, last, total, describe_status(rc), log_path))
            skip = last
    if reverse:
        blocks = renumber_reversed(blocks, total)
    return providers, blocks


NODE_RE = re.compile(r"^\s+\[(\d+)\] (.*)$")


def split_block(lines):
    """Header, ret line, node lines, rest."""
    ret = next((l for l in lines[1:] if l.startswith("ret ")), None)
    nodes = [NODE_RE.match(l).group(2) for l in lines[1:] if NODE_RE.match(l)]
    return ret, nodes


def node_fields(node):
    """'AF_INET SOCK_STREAM IPPROTO_TCP addr=.. port=..' -> dict."""
    parts = node.split(" ")
    fields = {"family": parts[0], "socktype": parts[1] if len(parts) > 1 else "",
              "protocol": parts[2] if len(parts) > 2 else ""}
    for p in parts[3:]:
        if "=" in p:
            k, v = p.split("=", 1)
            fields[k] = v
    return fields


def classify(glibc, ares):
    """A short, groupable description of how the aresolv block differs."""
    if ares is None:
        return "missing in aresolv run"
    if any(l.startswith("!!! probe died") for l in ares):
        return "aresolv " + ares[-1][len("!!! probe died here: "):]
    g_ret, g_nodes = split_block(glibc)
    a_ret, a_nodes = split_block(ares)
    g_code = g_ret.split(" ")[1] if g_ret else "?"
    a_code = a_ret.split(" ")[1] if a_ret else "?"
    if g_ret != a_ret:
        if g_code != a_code:
            return "return code: glibc %s, aresolv %s" % (g_code, a_code)
        return "ret line: glibc '%s', aresolv '%s'" % (g_ret[4:], a_ret[4:])
    if len(g_nodes) != len(a_nodes):
        g_fams = collections.Counter(node_fields(n)["family"] for n in g_nodes)
        a_fams = collections.Counter(node_fields(n)["family"] for n in a_nodes)
        if g_fams != a_fams:
            return "different families/number of addresses"
        return "different number of results (socktype/protocol expansion)"
    if sorted(g_nodes) == sorted(a_nodes):
        return "same results, different order"
    differing = set()
    for g, a in zip(g_nodes, a_nodes):
        gf, af = node_fields(g), node_fields(a)
        for key in set(gf) | set(af):
            if gf.get(key) != af.get(key):
                differing.add(key)
    if differing <= {"layout"}:
        return "node layout (not glibc-freeable)"
    if "addr" in differing:
        return "different addresses" + (
            " (and order)" if sorted(x.split(" addrlen")[0] for x in g_nodes) ==
            sorted(x.split(" addrlen")[0] for x in a_nodes) else "")
    return "differs in: " + ",".join(sorted(differing))


def unified(glibc, ares):
    a_lines = ares if ares is not None else ["(no output)"]
    return list(difflib.unified_diff(glibc[1:], a_lines[1:], "glibc", "aresolv",
                                     n=1000, lineterm=""))


def report(args, total, glibc_a, glibc_b, ares, ares_providers, out):
    def emit(text=""):
        out.write(text + "\n")

    nondeterministic = set()
    for n in range(1, total + 1):
        if glibc_a.get(n) != glibc_b.get(n):
            nondeterministic.add(n)
    if nondeterministic:
        emit("GLIBC IS NOT DETERMINISTIC in the sandbox for %d queries "
             "(a fixture or query problem, not an aresolv one):" % len(nondeterministic))
        nodes = []
        for n in sorted(nondeterministic):
            node = glibc_a.get(n, ["### %d ?" % n])[0].split(" ")[2:3]
            if node and node[0] not in nodes:
                nodes.append(node[0])
        emit("nodes concerned: " + " ".join(nodes))
        for n in sorted(nondeterministic)[:10]:
            emit("=== query %s" % glibc_a.get(n, ["### %d ?" % n])[0][4:])
            for l in difflib.unified_diff(glibc_a.get(n, [])[1:], glibc_b.get(n, [])[1:],
                                          "glibc", "glibc, queries in reverse order",
                                          n=1000, lineterm=""):
                emit(l)
        emit()

    differing = []
    classes = collections.OrderedDict()
    for n in range(1, total + 1):
        g = glibc_a.get(n)
        a = ares.get(n)
        if g == a:
            continue
        cls = ("glibc itself not deterministic here (see above)"
               if n in nondeterministic else classify(g, a))
        differing.append((n, cls))
        classes.setdefault(cls, []).append(n)

    # Full diffs: the first query of every class first, so that one frequent
    # class does not hide the others, then the next ones in query order.
    full = []
    for cls, numbers in classes.items():
        if len(full) < args.max_full:
            full.append(numbers[0])
    for n, _ in differing:
        if len(full) >= args.max_full:
            break
        if n not in full:
            full.append(n)
    full_set = set(full)
    class_of = dict(differing)
    for n in sorted(full):
        g = glibc_a[n]
        emit("=== query %s" % g[0][4:])
        emit("    [%s]" % class_of[n])
        for l in unified(g, ares.get(n)):
            emit("    " + l)
        emit()
    rest = [(n, cls) for n, cls in differing if n not in full_set]
    if rest:
        emit("... and %d more differing queries (all of them in full in %s):"
             % (len(rest), os.path.join(args.workdir, "report.txt")))
        for n, cls in rest[:args.max_listed]:
            emit("  query %s   [%s]" % (glibc_a[n][0][4:], cls))
        if len(rest) > args.max_listed:
            emit("  ... %d more not listed here" % (len(rest) - args.max_listed))
        emit()

    if classes:
        emit("Classes of differences (count, class, first queries):")
        for cls, numbers in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            emit("  %5d  %s   e.g. %s" % (len(numbers), cls,
                                         " ".join("#%d" % x for x in numbers[:6])))
        emit()
    emit("glibc determinism: %d of %d identical" % (total - len(nondeterministic), total))
    emit("getaddrinfo provider with preload: %s" % ares_providers.get("getaddrinfo", "?"))
    identical = total - len(differing)
    emit("differential getaddrinfo: %d of %d identical" % (identical, total))
    return identical == total and not nondeterministic


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probe", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--workdir", default=os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "aresolv-differential"))
    parser.add_argument("--sandbox", default=os.path.join(root, "scripts", "sandbox.sh"))
    parser.add_argument("--fixtures", default=None,
                        help="passed to sandbox.sh --fixtures")
    parser.add_argument("--max-full", type=int, default=30,
                        help="differing queries shown in full (the rest: one line each)")
    parser.add_argument("--max-listed", type=int, default=200,
                        help="further differing queries listed one line each")
    parser.add_argument("--query-timeout", type=int, default=10,
                        help="seconds; glibc answers every query in the sandbox at once")
    args = parser.parse_args()

    must_run = os.environ.get("CI") == "true" or os.environ.get("ARESOLV_REQUIRE_ROOT") == "1"

    def skip(reason):
        print("SKIP: " + reason)
        if must_run:
            print("... but CI=true or ARESOLV_REQUIRE_ROOT=1 is set: failing instead")
            return 1
        return SKIP

    if not os.access(args.sandbox, os.X_OK):
        return skip("%s not found or not executable" % args.sandbox)
    for what, path in (("probe", args.probe), ("library", args.library),
                       ("query file", args.queries)):
        if not os.path.exists(path):
            print("FAIL: %s %s does not exist" % (what, path))
            return 1
    library = os.path.abspath(args.library)
    total = count_queries(args.queries)
    print("differential getaddrinfo: %d queries from %s" % (total, args.queries))
    sys.stdout.flush()

    try:
        _, glibc_a = run_side(args, "glibc-1", None, total)
        _, glibc_b = run_side(args, "glibc-reversed", None, total, reverse=True)
        ares_providers, ares = run_side(args, "aresolv", library, total)
    except SandboxSkipped as e:
        return skip(str(e))
    except RunFailed as e:
        print("FAIL: " + str(e))
        return 1

    with open(os.path.join(args.workdir, "report.txt"), "w") as full:
        class Full:
            max_full = 10 ** 9
            workdir = args.workdir
        report(Full, total, glibc_a, glibc_b, ares, ares_providers, full)
    ok = report(args, total, glibc_a, glibc_b, ares, ares_providers, sys.stdout)

    provider = ares_providers.get("getaddrinfo", "")
    if os.path.basename(provider) != os.path.basename(library):
        print("FAIL: with LD_PRELOAD=%s, getaddrinfo still binds to %s: "
              "the library does not interpose getaddrinfo, nothing was compared"
              % (library, provider or "?"))
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
