#!/bin/sh
# screenshot.sh renders a review's HTML in headless Chromium and saves PNG
# screenshots for a person to look at: one at desktop width (1200 px) and
# one at phone width (390 px). It installs nothing: it needs Debian's
# `chromium` package (apt-get install -y chromium).
#
# Usage: ui/report/screenshot.sh [FILE.html] [OUTDIR]
#   FILE.html  the review to render; default: the golden file
#              ui/report/testdata/egress-proxy-saturation.html
#   OUTDIR     where the PNGs go; default: a new temporary directory
#
# The PNGs are for review, not for the repository. The script prints their
# paths. Chromium runs with networking features off and the page itself
# makes no request (the tests check that it references no URL), so the
# screenshot shows exactly what a reader gets offline.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
html=${1:-"$here/testdata/egress-proxy-saturation.html"}
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/firedrill-report.XXXXXX")}
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
	echo "screenshot.sh: $chromium not found; install Debian's chromium package (apt-get install -y chromium)" >&2
	exit 2
fi
if [ ! -f "$html" ]; then
	echo "screenshot.sh: no such file: $html" >&2
	exit 2
fi
mkdir -p "$out"
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
name=$(basename "$html" .html)

# shot WIDTH HEIGHT SUFFIX: one screenshot, in a fresh profile so that no
# state of an earlier run leaks in.
shot() {
	profile=$(mktemp -d "${TMPDIR:-/tmp}/firedrill-chromium.XXXXXX")
	png="$out/$name-$3.png"
	"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$profile" \
		--window-size="$1,$2" --screenshot="$png" "file://$abs" >/dev/null 2>&1 || {
		rm -rf "$profile"
		echo "screenshot.sh: chromium failed on $abs at $1x$2" >&2
		exit 1
	}
	rm -rf "$profile"
	if [ ! -s "$png" ]; then
		echo "screenshot.sh: chromium wrote no screenshot to $png" >&2
		exit 1
	fi
	echo "$png"
}

shot "${WIDTH:-1200}" "${HEIGHT:-2400}" desktop
shot "${PHONE_WIDTH:-390}" "${PHONE_HEIGHT:-2400}" phone
