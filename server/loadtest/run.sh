#!/usr/bin/env bash
# The server rows of shared/BENCHMARKS.md: firedrill's server against the raw
# websocket baseline (perfbase ws), interleaved baseline, firedrill, baseline,
# … REPS times (default 3) on this machine, loopback only; prints the markdown
# table of medians, min–max and ratios. About 10 minutes. Usage:
#   server/loadtest/run.sh [PATH/TO/shared/bench/perfbase]
# REPS=N sets the repetitions; KEEP=DIR keeps the raw JSON results in DIR;
# ONLY="fanout-100x50 ingest" runs only the runs whose names contain one of
# the words (fanout-100x50, fanout-1x5000, fanout-1x1000, slow, ingest, storm).
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:-../shared/bench/perfbase}
reps=${REPS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# perfbase is copied out of the repository, never built or kept inside it.
cp -r "$src"/. "$work/perfbase"
chmod -R u+w "$work/perfbase"
(cd "$work/perfbase" && go mod tidy >/dev/null 2>&1 && go build -o perfbase .)
go build -o "$work/loadtest" ./server/loadtest
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "need at least 12000 open files (ulimit -n is $(ulimit -n))" >&2
  exit 1
fi
pb="$work/perfbase/perfbase"
lt="$work/loadtest"
out="${KEEP:-$work/results}"
mkdir -p "$out"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), cores: $(nproc), $(go version | cut -d' ' -f3), GOMAXPROCS=${GOMAXPROCS:-$(nproc)}" >&2

# run NAME CMD…: one bounded run, its JSON in $out/NAME.json; a failed run
# is reported and left out of the table.
run() {
  local name=$1
  shift
  if [ -n "${ONLY:-}" ]; then
    local want=0 w
    for w in $ONLY; do
      case $name in *"$w"*) want=1 ;; esac
    done
    [ "$want" = 1 ] || return 0
  fi
  echo "== $name: $*" >&2
  if ! timeout 300 "$@" >"$out/$name.json"; then
    echo "!! $name failed" >&2
    rm -f "$out/$name.json"
  fi
}

for rep in $(seq 1 "$reps"); do
  # FANOUT-BURST, FANOUT-PACED, CONN-MEM, CONNECT: same flags on both sides.
  for cfg in "100 5000 200" "1 5000 200" "1 1000 1000"; do
    set -- $cfg
    name="$1x$(($2 / $1))"
    run "base-fanout-$name-r$rep" "$pb" ws -n "$2" -rooms "$1" -rate 10 -paced 5s -burst "$3"
    run "fd-fanout-$name-r$rep" "$lt" fanout -n "$2" -rooms "$1" -rate 10 -paced 5s -burst "$3"
  done
  # SLOW-CONSUMER: 1% of the players stop reading; the burst overflows their queues.
  # The order alternates from rep to rep so neither side always runs first.
  for stall in $( ((rep % 2)) && echo "off on" || echo "on off"); do
    flag=""
    [ "$stall" = on ] && flag="-stall 0.01"
    run "fd-slow-1x1000-$stall-r$rep" "$lt" fanout -n 1000 -rooms 1 -rate 10 -paced 5s -burst 600 $flag
  done
  # ACTION-INGEST: 100 × 50 players, one chat action each every 5 s, for 15 s.
  run "fd-ingest-100x50-r$rep" "$lt" ingest -n 5000 -rooms 100 -every 5s -for 15s
  # RECONNECT-STORM: SIGKILL the server mid-stream, restart it on the same file.
  run "fd-storm-100x50-r$rep" "$lt" storm -n 5000 -rooms 100
done
"$lt" report -dir "$out" -cmd "make bench-server  # = server/loadtest/run.sh $src, REPS=$reps"
