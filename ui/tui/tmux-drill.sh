#!/usr/bin/env bash
# tmux-drill.sh plays a few moves of `firedrill drill` in a real terminal
# and saves the screen: it builds firedrill, runs
#   firedrill drill egress-proxy-saturation --speed 30
# in a detached 120x40 tmux session, types a few commands, captures the
# pane to a file and kills the session.
#
# usage: ui/tui/tmux-drill.sh [OUTPUT]     (default: bin/tmux-drill.txt)
#
# It needs go and tmux. It waits for the console by reading the pane, for
# at most WAIT seconds (default 20) per step.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/bin/tmux-drill.txt}
wait_secs=${WAIT:-20}

die() { echo "tmux-drill: $*" >&2; exit 1; }

command -v tmux >/dev/null 2>&1 || die "tmux is not installed"
command -v go >/dev/null 2>&1 || die "go is not installed"

mkdir -p "$root/bin" "$(dirname "$out")"
bin=$root/bin/firedrill
(cd "$root" && go build -o "$bin" ./cmd/firedrill) || die "go build ./cmd/firedrill failed"

# The drill command comes with the console's wiring; say so plainly when
# this build does not have it yet.
if ! "$bin" help | grep -qE '^[[:space:]]+drill[[:space:]]'; then
	die "this firedrill has no 'drill' command yet ('firedrill help' lists: $("$bin" help | awk '/^  [a-z]/ {printf "%s ", $1}'))"
fi

session="firedrill-drill-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; }
trap cleanup EXIT

# Keep the pane open after firedrill exits, so a crash's message can be
# captured too.
tmux new-session -d -s "$session" -x 120 -y 40 \
	"cd '$root' && '$bin' drill egress-proxy-saturation --speed 30; echo; echo \"[firedrill exited with status \$?]\"; sleep 600"

screen() { tmux capture-pane -p -t "$session"; }

# wait_for TEXT: until the pane shows TEXT, or fail with the screen.
wait_for() {
	local text=$1 tries=$((wait_secs * 10))
	for ((i = 0; i < tries; i++)); do
		if screen | grep -qF -- "$text"; then
			return 0
		fi
		if screen | grep -qF "[firedrill exited with status"; then
			screen >&2
			die "firedrill exited while waiting for '$text'"
		fi
		sleep 0.1
	done
	screen >&2
	die "the screen never showed '$text' within ${wait_secs}s"
}

# type_line TEXT: type a command line and press Enter.
type_line() {
	tmux send-keys -t "$session" -l -- "$1"
	tmux send-keys -t "$session" Enter
}

wait_for "● live"
type_line "/help"
wait_for "commands (Tab completes"
type_line "/status"
wait_for "/status ✓"
type_line "anyone else seeing partner timeouts?"
wait_for "anyone else seeing partner timeouts? ✓"
# Tab completion, then the keys footer.
tmux send-keys -t "$session" -l -- "/ac"
tmux send-keys -t "$session" Tab
wait_for "› /ack"
tmux send-keys -t "$session" C-u Escape
wait_for "a ack · n new"

screen >"$out"
echo "tmux-drill: saved the screen to $out"
tmux send-keys -t "$session" C-c
