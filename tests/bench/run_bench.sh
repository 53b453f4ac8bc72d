#!/usr/bin/env bash
# Runs the benchmark suite in scripts/sandbox.sh and writes its figures to
# OUT (one file per measurement), then the table (tests/bench/report.py).
#
#   run_bench.sh --build DIR --out DIR [--smoke] [--markdown FILE]
#
# --build DIR     the CMake build directory (libaresolv.so, tests/bench/*)
# --out DIR       where the raw figures and the table go
# --smoke         every benchmark for a handful of iterations: checks that
#                 each configuration works, measures nothing (the CTest test)
# --markdown FILE also write the table as Markdown to FILE
#
# Inside the sandbox the same Google Benchmark binary runs against glibc,
# glibc with a private nscd, and glibc with LD_PRELOAD=libaresolv.so; a
# static musl build runs the same workloads. dnsmasq answers with a TTL of
# 300 s here (the fixtures' TTL 0 would forbid any cache, nscd's included).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib.sh"

readonly DNS_TTL=300
# Each in-process benchmark: PASSES processes per configuration, the
# configurations taking turns, each pass REPETITIONS runs of at least
# MIN_TIME seconds; the figure is the median over the passes of each pass's
# median (a DNS server or a machine whose speed drifts over a run then
# weighs on every configuration alike).
readonly PASSES=3 REPETITIONS=3 MIN_TIME=0.3

# A private nscd for the "glibc + nscd" column: its socket directory is a
# tmpfs only this namespace sees, its cache lives in memory only.
nscd_pid=""
start_nscd() {
  command -v nscd >/dev/null || {
    aresolv_log "bench: nscd is not installed (scripts/setup.sh): no nscd column"
    return 0
  }
  if [[ -d /run/nscd ]]; then
    mount -t tmpfs -o mode=0755 bench-nscd /run/nscd
  else
    # Do not create /run/nscd on the host: hide /run instead.
    mount -t tmpfs -o mode=0755 bench-run /run
    mkdir /run/nscd
  fi
  local conf=$ARESOLV_SANDBOX_TMP/nscd.conf
  cat > "$conf" <<'CONF'
debug-level 0
paranoia no
enable-cache passwd no
enable-cache group no
enable-cache services no
enable-cache netgroup no
enable-cache hosts yes
positive-time-to-live hosts 3600
negative-time-to-live hosts 20
suggested-size hosts 211
check-files hosts yes
persistent hosts no
shared hosts yes
max-db-size hosts 33554432
CONF
  # Killed with this shell, however it ends.
  setpriv --pdeathsig TERM nscd -F -f "$conf" &
  nscd_pid=$!
  local tries=0
  until [[ -S /run/nscd/socket ]]; do
    if ! kill -0 "$nscd_pid" 2>/dev/null || ((++tries > 100)); then
      aresolv_log "bench: nscd did not start"
      kill "$nscd_pid" 2>/dev/null || true
      nscd_pid=""
      return 1
    fi
    sleep 0.05
  done
}

stop_nscd() {
  if [[ -n $nscd_pid ]]; then
    kill "$nscd_pid" 2>/dev/null || true
    wait "$nscd_pid" 2>/dev/null || true
    nscd_pid=""
  fi
}

# Runs a command that must not see nscd (the glibc column, the preload):
# in a mount namespace of its own, with the socket directory empty.
without_nscd() {
  if [[ -n $nscd_pid ]]; then
    unshare --mount -- "$BASH" -c \
      'mount -t tmpfs -o mode=0755 bench-no-nscd /run/nscd && exec "$@"' without_nscd "$@"
  else
    "$@"
  fi
}

inside() {
  local out=$1 smoke=$2 build=$3
  local bin=$build/tests/bench library=$build/libaresolv.so
  local gbench_args musl_args exec_args
  if ((smoke)); then
    gbench_args=(--benchmark_min_time=0.001 --benchmark_repetitions=1)
    musl_args=(--min-time 0.001 --repetitions 1)
    exec_args=(--rounds 2 --per-round 2)
  else
    gbench_args=(--benchmark_min_time=$MIN_TIME --benchmark_repetitions=$REPETITIONS
      --benchmark_report_aggregates_only=true)
    musl_args=(--min-time "$MIN_TIME" --repetitions "$REPETITIONS")
    exec_args=(--rounds 60 --per-round 50)
  fi

  local status=0
  mkdir -p "$out/glibc" "$out/nscd" "$out/aresolv" "$out/musl" "$out/logs"
  local musl=$bin/resolve_bench_musl
  [[ -x $musl ]] || aresolv_log "bench: no resolve_bench_musl (musl-gcc missing?): no musl column"
  trap stop_nscd EXIT
  start_nscd || status=1

  # One benchmark at a time under every configuration in turn (the order
  # rotating), so that the load of a shared machine drifting over the run falls
  # on all configurations alike.
  local -a configs=(glibc nscd aresolv musl)
  local benchmarks=(latency/numeric latency/hosts latency/localhost latency/cached_dns
    latency/search_list latency/fresh_dns throughput/cached_dns control/cpu_spin)
  local index=0 benchmark k config pass passes=$PASSES
  ((smoke)) && passes=1
  for benchmark in "${benchmarks[@]}"; do
    aresolv_log "bench: $benchmark"
    for ((pass = 0; pass < passes; pass++)); do
      for ((k = 0; k < ${#configs[@]}; k++)); do
        config=${configs[(index + pass + k) % ${#configs[@]}]}
        # The control resolves nothing: once is enough.
        [[ $benchmark == control/* && $config != glibc ]] && continue
        local json=$out/$config/$index-$pass.json log=$out/logs/$config-$index-$pass.log
        case $config in
          glibc)
            without_nscd "$bin/resolve_bench" --benchmark_filter="^$benchmark/" \
              "${gbench_args[@]}" --benchmark_out_format=json --benchmark_out="$json" ;;
          nscd) [[ -n $nscd_pid ]] || continue
            "$bin/resolve_bench" --benchmark_filter="^$benchmark/" \
              "${gbench_args[@]}" --benchmark_out_format=json --benchmark_out="$json" ;;
          aresolv)
            without_nscd env LD_PRELOAD="$library" "$bin/resolve_bench" \
              --benchmark_filter="^$benchmark/" "${gbench_args[@]}" \
              --benchmark_out_format=json --benchmark_out="$json" ;;
          musl) [[ -x $musl ]] || continue
            "$musl" --filter "$benchmark/" "${musl_args[@]}" --out "$json" ;;
        esac > "$log" 2>&1 || {
          aresolv_log "bench: $benchmark failed under $config:"
          tail -5 "$log" >&2
          status=1
        }
      done
    done
    index=$((index + 1))
  done
  # Two threads against one, in pairs of windows a few milliseconds apart.
  aresolv_log "bench: scaling (paired windows)"
  local scaling_args=(--pairs 40 --window-ms 100)
  ((smoke)) && scaling_args=(--pairs 1 --window-ms 5)
  mkdir -p "$out/scaling"
  for config in "${configs[@]}"; do
    case $config in
      glibc) without_nscd "$bin/scaling_bench" "${scaling_args[@]}" ;;
      nscd) [[ -n $nscd_pid ]] || continue
        "$bin/scaling_bench" "${scaling_args[@]}" ;;
      aresolv) without_nscd env LD_PRELOAD="$library" "$bin/scaling_bench" "${scaling_args[@]}" ;;
      musl) [[ -x $bin/scaling_bench_musl ]] || continue
        "$bin/scaling_bench_musl" "${scaling_args[@]}" ;;
    esac > "$out/scaling/$config.txt" 2> "$out/logs/scaling-$config.log" || {
      aresolv_log "bench: scaling failed under $config:"
      tail -5 "$out/logs/scaling-$config.log" >&2
      status=1
    }
  done

  # glibc says nothing when it cannot reach nscd: its counters show it did.
  [[ -n $nscd_pid ]] && { nscd -g > "$out/nscd-stats.txt" 2>&1 || true; }

  # Whole program: exec of /bin/true, one exec of each variant in turn; wall
  # clock, CPU time and the task clock from the exec on (perf's task-clock).
  aresolv_log "bench: exec of /bin/true"
  "$bin/exec_bench" "${exec_args[@]}" none= empty="$bin/libbench_empty_preload.so" \
    aresolv="$library" > "$out/exec.txt" || status=1

  aresolv_log "bench: resident memory"
  : > "$out/rss.txt"
  local i
  for ((i = 0; i < 5; i++)); do
    echo "none $(without_nscd "$bin/rss_probe")" >> "$out/rss.txt" || status=1
    echo "aresolv $(without_nscd env LD_PRELOAD="$library" "$bin/rss_probe")" >> "$out/rss.txt" ||
      status=1
  done

  stop_nscd
  return "$status"
}

if [[ ${1:-} == --inside ]]; then
  shift
  inside "$@"
  exit
fi

build="" out="" smoke=0 markdown=""
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --markdown) markdown=$2; shift 2 ;;
    *) aresolv_log "run_bench.sh: unknown option $1"; exit 2 ;;
  esac
done
[[ -n $build && -n $out ]] || { aresolv_log "run_bench.sh: --build and --out are required"; exit 2; }
build=$(cd "$build" && pwd)
for program in resolve_bench exec_bench rss_probe scaling_bench libbench_empty_preload.so; do
  [[ -e $build/tests/bench/$program ]] || { aresolv_log "run_bench.sh: $build/tests/bench/$program is not built"; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The fixture DNS data with a TTL, relative addn-hosts paths made absolute.
fixtures=$out/fixtures
mkdir -p "$fixtures"
sed "s|^addn-hosts=\([^/]\)|addn-hosts=$ARESOLV_FIXTURES_DEFAULT/\1|" \
  "$ARESOLV_FIXTURES_DEFAULT/dnsmasq.conf" > "$fixtures/dnsmasq.conf"
echo "local-ttl=$DNS_TTL" >> "$fixtures/dnsmasq.conf"

{
  echo "nproc $(nproc)"
  echo "cpu $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
  echo "kernel $(uname -r)"
  echo "glibc $(getconf GNU_LIBC_VERSION | awk '{print $2}')"
  echo "musl $(dpkg-query -W -f='${Version}' musl 2>/dev/null || echo unknown)"
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$root" status --porcelain -- resolver shim CMakeLists.txt 2>/dev/null) ]]; then
    commit+=" with uncommitted changes"
  fi
  echo "commit $commit"
  echo "load_before $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date $(date -u +%Y-%m-%d)"
  echo "dns_ttl $DNS_TTL"
  echo "repetitions $REPETITIONS"
  echo "passes $PASSES"
} > "$out/machine.txt"

library=$build/libaresolv.so
{
  echo "file $(stat -c %s "$library")"
  strip -o "$out/libaresolv.stripped.so" "$library"
  echo "stripped $(stat -c %s "$out/libaresolv.stripped.so")"
  rm -f "$out/libaresolv.stripped.so"
  # What the loader maps: the sum of the PT_LOAD segments' memory sizes.
  mapped=0
  while read -r type _ _ _ _ memsz _; do
    [[ $type == LOAD ]] && mapped=$((mapped + memsz))
  done < <(readelf -lW "$library")
  echo "mapped $mapped"
} > "$out/size.txt"

status=0
"$root/scripts/sandbox.sh" --fixtures "$fixtures" -- "$BASH" "${BASH_SOURCE[0]}" --inside "$out" "$smoke" "$build" || status=$?
((status == 77)) && exit 77
echo "load_after $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
report_args=("$out")
((smoke)) && report_args+=(--smoke)
[[ -n $markdown ]] && report_args+=(--markdown "$markdown")
"$ARESOLV_PYTHON" "$here/report.py" "${report_args[@]}" || status=1
exit "$status"
