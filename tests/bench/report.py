#!/usr/bin/env python3
"""Reads the figures run_bench.sh wrote into OUT, prints the table of absolute
figures and ratios and the bars of issue 5 (PASS/FAIL each), and optionally
writes the same as Markdown.

    report.py OUT [--smoke] [--markdown FILE]

With --smoke it only checks that every configuration produced every figure
and that getaddrinfo came from where it should. Either way it exits 1 when a
figure is missing or a configuration did not run as it should (glibc not
using nscd, the preload not answering); a bar that does not hold is reported
but is not an error: this is a benchmark."""
import argparse
import json
import os
import re
import statistics
import sys

CONFIGS = ["glibc", "nscd", "musl", "aresolv"]
CONFIG_TITLES = {"glibc": "glibc", "nscd": "glibc + nscd", "musl": "musl (static)",
                 "aresolv": "aresolv"}
LATENCY = [
    ("numeric", "numeric literal `192.0.2.1`"),
    ("hosts", "/etc/hosts name `filehost.test`"),
    ("localhost", "`localhost` (2 addresses)"),
    ("cached_dns", "cached DNS name `dual.test` (A+AAAA)"),
    ("search_list", "search-list DNS name `intra`"),
    ("fresh_dns", "never-seen DNS name `<fresh>.wild.test`"),
]
THREADS = [1, 2, 16]


def load_benchmarks(directory):
    """The context and {(kind, workload, threads): {"us": ..., "per_second": ...},
    None for a failed one} of every JSON file in DIRECTORY."""
    files = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    files = [os.path.join(directory, f) for f in files if f.endswith(".json")]
    if not files:
        return None, {}
    context, entries = {}, []
    for path in files:
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as error:
            entries.append({"name": os.path.basename(path) + "/unreadable", "error_occurred": True})
            print(f"bench: {path}: {error}", file=sys.stderr)
            continue
        context = context or data.get("context", {})
        entries.extend(data.get("benchmarks", []))
    # Each file is one pass (one process) of one benchmark; a pass reports the
    # median of its repetitions (or its single run). The figure is the median
    # over the passes, which ran interleaved with the other configurations.
    passes, failed = {}, set()
    for entry in entries:
        run_name = entry.get("run_name") or re.sub(r"_(mean|median|stddev|cv)$", "", entry["name"])
        parts = run_name.split("/")
        threads = 1
        for part in parts:
            if part.startswith("threads:"):
                threads = int(part.split(":")[1])
        key = (parts[0], parts[1], threads)
        if entry.get("error_occurred"):
            failed.add(key)
            continue
        if entry.get("run_type") == "aggregate" and entry.get("aggregate_name") != "median":
            continue
        if entry.get("run_type") != "aggregate" and entry.get("repetitions", 1) > 1:
            continue  # a single repetition of a pass: its median comes separately
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[entry.get("time_unit", "ns")]
        passes.setdefault(key, []).append((entry["real_time"] * scale, entry.get("items_per_second")))
    results = {key: None for key in failed}
    for key, values in passes.items():
        if key in failed:
            continue
        rates = [rate for _, rate in values if rate is not None]
        results[key] = {"us": statistics.median(us for us, _ in values),
                        "per_second": statistics.median(rates) if rates else None}
    return context, results


def read_pairs(path):
    pairs = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                fields = line.split(None, 1)
                if len(fields) == 2:
                    pairs[fields[0]] = fields[1].strip()
    return pairs


def fmt_us(value):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    ratio = a / b
    return f"{ratio:.3f}×" if ratio < 0.1 else f"{ratio:.2f}×"


def fmt_rate(value):
    if value is None:
        return "—"
    return f"{value:,.0f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    out = args.out

    problems = []
    contexts, results = {}, {}
    for config in CONFIGS:
        context, figures = load_benchmarks(os.path.join(out, config))
        contexts[config] = context
        results[config] = figures
        if context is None:
            problems.append(f"{config}: no figures")
            continue
        for key, value in figures.items():
            if value is None:
                problems.append(f"{config}: {'/'.join(map(str, key))} failed")
    # Where getaddrinfo came from, so that a broken preload cannot pass as aresolv.
    origin = {c: (contexts[c] or {}).get("getaddrinfo_from", "") for c in ("glibc", "nscd", "aresolv")}
    if contexts["aresolv"] is not None and "libaresolv" not in origin["aresolv"]:
        problems.append(f"aresolv: getaddrinfo came from {origin['aresolv'] or '?'}, not libaresolv.so")
    for config in ("glibc", "nscd"):
        if contexts[config] is not None and "libc.so" not in origin[config]:
            problems.append(f"{config}: getaddrinfo came from {origin[config] or '?'}")
    # glibc says nothing when it cannot reach nscd; its hit counter does.
    nscd_hits = None
    stats_path = os.path.join(out, "nscd-stats.txt")
    if os.path.exists(stats_path):
        with open(stats_path) as f:
            stats = f.read()
        section = stats.split("hosts cache:", 1)
        if len(section) == 2:
            # Lookups answered from the shared mapping never reach the
            # daemon; the first of each name does, as a hit or a miss.
            counts = [int(m) for m in re.findall(
                r"(\d+)\s+cache (?:hits|misses) on (?:positive|negative) entries", section[1])]
            nscd_hits = sum(counts)
    if contexts["nscd"] is not None and not nscd_hits:
        problems.append("nscd: its hosts cache saw no request: glibc did not use it")

    def latency(config, workload):
        value = results[config].get(("latency", workload, 1))
        return value["us"] if value else None

    def rate(config, threads):
        value = results[config].get(("throughput", "cached_dns", threads))
        return value["per_second"] if value else None

    # Per round (the variants side by side in time): wall and CPU µs per exec.
    def read_rounds(path, columns):
        rounds = {}
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    fields = line.split()
                    if len(fields) != 2 + columns:
                        continue
                    try:
                        rounds.setdefault(fields[0], {})[fields[1]] = [float(x) for x in fields[2:]]
                    except ValueError:
                        pass
        return rounds

    def summarize(rounds, column):
        """Median per variant, and the median over rounds of aresolv/empty."""
        medians = {}
        for name in ("none", "empty", "aresolv"):
            values = [r[name][column] for r in rounds.values() if name in r]
            medians[name] = statistics.median(values) if values else None
        ratios = [r["aresolv"][column] / r["empty"][column] for r in rounds.values()
                  if "aresolv" in r and "empty" in r and r["empty"][column] > 0]
        return medians, (statistics.median(ratios) if ratios else None)

    exec_rounds = read_rounds(os.path.join(out, "exec.txt"), 3)
    exec_wall, exec_wall_ratio = summarize(exec_rounds, 0)
    exec_cpu, exec_cpu_ratio = summarize(exec_rounds, 1)
    # The task clock from the exec on (-1: perf events not allowed here).
    task_known = exec_rounds and all(v[2] >= 0 for r in exec_rounds.values() for v in r.values())
    task, task_ratio = summarize(exec_rounds, 2) if task_known else ({}, None)
    for name in ("none", "empty", "aresolv"):
        if exec_wall[name] is None:
            problems.append(f"exec: no figure for {name}")
    rss = {}
    if os.path.exists(os.path.join(out, "rss.txt")):
        with open(os.path.join(out, "rss.txt")) as f:
            for line in f:
                fields = line.split()
                if len(fields) == 4:
                    rss.setdefault(fields[0], []).append([int(x) for x in fields[1:]])
    rss = {k: [statistics.median(col) for col in zip(*v)] for k, v in rss.items()}
    for name in ("none", "aresolv"):
        if name not in rss:
            problems.append(f"rss: no figure for {name}")
    size = {k: int(v) for k, v in read_pairs(os.path.join(out, "size.txt")).items()}
    machine = read_pairs(os.path.join(out, "machine.txt"))

    if args.smoke:
        for config in ("glibc", "aresolv"):
            for workload, _ in LATENCY:
                if latency(config, workload) is None and contexts[config] is not None:
                    problems.append(f"{config}: no figure for {workload}")
        for problem in problems:
            print(f"bench smoke: {problem}", file=sys.stderr)
        print("bench smoke: " + ("FAILED" if problems else "every configuration ran"))
        return 1 if problems else 0

    lines = []
    lines.append(f"Machine: {machine.get('nproc', '?')} CPUs ({machine.get('cpu', '?')}), "
                 f"Linux {machine.get('kernel', '?')}, glibc {machine.get('glibc', '?')}, "
                 f"musl {machine.get('musl', '?')}; aresolv commit {machine.get('commit', '?')}, "
                 f"{machine.get('date', '?')}; load average (1, 5, 15 min) "
                 f"{machine.get('load_before', '?')} before the run, "
                 f"{machine.get('load_after', '?')} after. In `scripts/sandbox.sh`, dnsmasq on loopback "
                 f"answering with TTL {machine.get('dns_ttl', '?')} s; "
                 "`getaddrinfo(name, NULL, {AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG})`.")
    lines.append("")
    lines.append(f"Per call, µs (median over {machine.get('passes', '1')} passes, the configurations "
                 f"taking turns, of each pass's median of {machine.get('repetitions', '?')} runs of "
                 "≥ 0.3 s; lower is better):")
    lines.append("")
    header = "| lookup | " + " | ".join(CONFIG_TITLES[c] for c in CONFIGS) + \
        " | aresolv/glibc | aresolv/nscd | aresolv/musl |"
    lines.append(header)
    lines.append("|" + " --- |" * (len(CONFIGS) + 4))
    for workload, title in LATENCY:
        values = {c: latency(c, workload) for c in CONFIGS}
        lines.append(f"| {title} | " + " | ".join(fmt_us(values[c]) for c in CONFIGS) + " | " +
                     " | ".join(fmt_ratio(values["aresolv"], values[c]) for c in ("glibc", "nscd", "musl")) + " |")
    lines.append("")
    lines.append("Throughput on a cached name (`dual.test`), calls per second, all threads together "
                 "(higher is better):")
    lines.append("")
    lines.append(header.replace("| lookup |", "| threads |", 1))
    lines.append("|" + " --- |" * (len(CONFIGS) + 4))
    for threads in THREADS:
        values = {c: rate(c, threads) for c in CONFIGS}
        lines.append(f"| {threads} thread{'s' if threads > 1 else ''} | " +
                     " | ".join(fmt_rate(values[c]) for c in CONFIGS) + " | " +
                     " | ".join(fmt_ratio(values["aresolv"], values[c]) for c in ("glibc", "nscd", "musl")) + " |")
    scaling = {c: (rate(c, 2) / rate(c, 1) if rate(c, 2) and rate(c, 1) else None) for c in CONFIGS}
    lines.append("| 2 threads / 1 thread | " + " | ".join(
        f"{scaling[c]:.2f}" if scaling[c] else "—" for c in CONFIGS) + " | | | |")
    # Paired windows (scaling_bench): the median over pairs of 2 threads / 1
    # thread, lookups and the CPU-only control measured in the same minute.
    paired, paired_spin, pair_count = {}, {}, {}
    for c in CONFIGS:
        path = os.path.join(out, "scaling", f"{c}.txt")
        rows = []
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    fields = line.split()
                    if len(fields) == 5:
                        rows.append([float(x) for x in fields[1:]])
        good = [r for r in rows if r[0] > 0 and r[2] > 0]
        paired[c] = statistics.median(r[1] / r[0] for r in good) if good else None
        paired_spin[c] = statistics.median(r[3] / r[2] for r in good) if good else None
        pair_count[c] = len(good)
    if paired["aresolv"] is None and not args.smoke:
        problems.append("scaling: no paired figure for aresolv")
    if any(paired.values()):
        pairs_note = max(pair_count.values())
        lines.append(f"| 2 threads / 1 thread, paired windows of 100 ms (median of {pairs_note} pairs) | " +
                     " | ".join(f"{paired[c]:.2f}" if paired[c] else "—" for c in CONFIGS) + " | | | |")
        lines.append(f"| the same for a loop of CPU work, no lookup (in the same pairs' minute) | " +
                     " | ".join(f"{paired_spin[c]:.2f}" if paired_spin[c] else "—" for c in CONFIGS) +
                     " | | | |")
    spin = [results["glibc"].get(("control", "cpu_spin", t)) for t in (1, 2)]
    spin_scaling = (spin[1]["per_second"] / spin[0]["per_second"]
                    if all(spin) and spin[0]["per_second"] else None)
    if spin_scaling is not None:
        lines.append("")
        lines.append(f"Control: a loop of pure CPU work, no lookup, in the same run: 2 threads / "
                     f"1 thread = {spin_scaling:.2f} (what the machine gave two threads at the time).")
    lines.append("")
    lines.append("Whole program:")
    lines.append("")
    lines.append("| measure | no preload | empty preloaded library | libaresolv.so | aresolv vs empty (median of per-round ratios) |")
    lines.append("| --- | --- | --- | --- | --- |")

    def overhead(ratio):
        return f"{(ratio - 1) * 100:+.1f}%" if ratio is not None else "—"

    rounds_note = f"{len(exec_rounds)} interleaved rounds"
    lines.append(f"| exec of /bin/true, wall µs per exec (median of {rounds_note}) | " +
                 " | ".join(fmt_us(exec_wall[n]) for n in ("none", "empty", "aresolv")) +
                 f" | {overhead(exec_wall_ratio)} |")
    lines.append(f"| exec of /bin/true, CPU µs per exec (wait4; median of {rounds_note}) | " +
                 " | ".join(fmt_us(exec_cpu[n]) for n in ("none", "empty", "aresolv")) +
                 f" | {overhead(exec_cpu_ratio)} |")
    if task_known:
        lines.append(f"| exec of /bin/true, task clock from the exec on (perf's task-clock) µs "
                     f"(median of {rounds_note}) | " +
                     " | ".join(fmt_us(task.get(n)) for n in ("none", "empty", "aresolv")) +
                     f" | {overhead(task_ratio)} |")
    rss_none, rss_aresolv = rss.get("none"), rss.get("aresolv")
    if rss_none and rss_aresolv:
        lines.append(f"| VmRSS after one lookup, KiB (RssAnon + RssFile) | {rss_none[0]:.0f} "
                     f"({rss_none[1]:.0f} + {rss_none[2]:.0f}) | — | {rss_aresolv[0]:.0f} "
                     f"({rss_aresolv[1]:.0f} + {rss_aresolv[2]:.0f}) | "
                     f"{rss_aresolv[0] - rss_none[0]:+.0f} KiB vs none |")
    if size:
        lines.append(f"| libaresolv.so size | | | {size.get('stripped', 0) / 1024:.0f} KiB stripped "
                     f"({size.get('file', 0) / 1024:.0f} KiB with debug info as built, "
                     f"{size.get('mapped', 0) / 1024:.0f} KiB mapped) | |")
    lines.append("")

    # The bars of issue 5.
    bars = []

    def bar(text, ok, measured):
        bars.append((text, ok, measured))

    # Every workload the bar names: localhost is an /etc/hosts name too, and
    # the search-list name a cached DNS name.
    for workload, title, limit in (
            ("numeric", "numeric literal", 0.1),
            ("hosts", "/etc/hosts name `filehost.test`", 0.1),
            ("localhost", "/etc/hosts name `localhost`", 0.1),
            ("cached_dns", "cached DNS name `dual.test`", 0.05),
            ("search_list", "cached DNS name `intra` (search list)", 0.05)):
        a, g, n = latency("aresolv", workload), latency("glibc", workload), latency("nscd", workload)
        bar(f"{title}: ≤ {limit}× glibc and ≤ nscd",
            None if None in (a, g, n) else (a <= limit * g and a <= n),
            f"{fmt_ratio(a, g)} glibc, {fmt_ratio(a, n)} nscd")
    a, g = latency("aresolv", "fresh_dns"), latency("glibc", "fresh_dns")
    bar("never-seen DNS name: ≤ glibc", None if None in (a, g) else a <= g, f"{fmt_ratio(a, g)} glibc")
    # The paired windows decide: two throughputs taken seconds apart on a
    # machine whose speed drifts compare two different machines.
    s, control = paired["aresolv"], paired_spin["aresolv"]
    if s is None:
        s, control = scaling["aresolv"], spin_scaling
    bar("2 threads ≥ 1.7× the throughput of 1 (cached name, paired windows)",
        None if s is None else s >= 1.7,
        ("—" if s is None else f"{s:.2f}×") +
        (f" (CPU-only control: {control:.2f}×)" if control is not None else ""))
    ratio, how = (task_ratio, "task-clock") if task_ratio is not None else (exec_cpu_ratio, "CPU time")
    bar(f"preload on /bin/true ≤ 3% over an empty preloaded library ({how}, median of per-round ratios)",
        None if ratio is None else ratio <= 1.03, overhead(ratio))
    stripped = size.get("stripped")
    bar("libaresolv.so ≤ 1 MiB (stripped)", None if stripped is None else stripped <= 1 << 20,
        "—" if stripped is None else f"{stripped / 1024:.0f} KiB")
    lines.append("Bars of issue 5:")
    lines.append("")
    lines.append("| bar | measured | result |")
    lines.append("| --- | --- | --- |")
    for text, ok, measured in bars:
        lines.append(f"| {text} | {measured} | {'PASS' if ok else ('FAIL' if ok is False else 'n/a')} |")
    failed = [text for text, ok, _ in bars if ok is not True]
    lines.append("")
    lines.append(f"{len(bars) - len(failed)} of {len(bars)} bars hold." +
                 (" Not holding: " + "; ".join(failed) + "." if failed else ""))
    if problems:
        lines.append("")
        lines.append("Problems in this run: " + "; ".join(problems) + ".")

    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    for text_, ok, measured in bars:
        print(f"{'PASS' if ok else 'FAIL'}: {text_} ({measured})", file=sys.stderr)
    if failed:
        print(f"bench: {len(failed)} of {len(bars)} bars do not hold (a benchmark: that alone "
              "is no error)", file=sys.stderr)
    if problems:
        print("bench: the run itself went wrong: " + "; ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
