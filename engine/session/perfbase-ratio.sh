#!/usr/bin/env bash
# The ENGINE row of shared/BENCHMARKS.md: events per second of a whole
# expert run of the largest built-in scenario, as a ratio to the bare
# typed-heap event loop of perfbase (pending 1,000), interleaved baseline,
# firedrill, baseline, … three times on this machine. Usage:
#   engine/session/perfbase-ratio.sh [PATH/TO/shared/bench/perfbase]
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:-../shared/bench/perfbase}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src"/. "$work"/
chmod -R u+w "$work"
(cd "$work" && go mod tidy >/dev/null 2>&1 && go build -o perfbase .)
go test -c -o "$work/session.test" ./engine/session
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), cores: $(nproc), $(go version | cut -d' ' -f3), GOMAXPROCS=${GOMAXPROCS:-$(nproc)}"
ratios=()
for rep in 1 2 3; do
  "$work/perfbase" des -events 5000000 >"$work/des.jsonl"
  base=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["events_per_sec"])' "$work/des.jsonl")
  ours=$("$work/session.test" -test.run '^$' -test.bench 'RunExpert/db-failover' -test.count 1 | grep -oE '[0-9.]+ events/s' | cut -d' ' -f1)
  ratio=$(python3 -c "print(f'{$ours/$base:.5f}')")
  echo "rep $rep: perfbase des $base events/s, firedrill $ours events/s, ratio $ratio"
  ratios+=("$ratio")
done
python3 -c "import statistics,sys; r=sorted(map(float,sys.argv[1:])); print(f'median ratio {statistics.median(r):.5f} (min {r[0]:.5f}, max {r[-1]:.5f})')" "${ratios[@]}"
