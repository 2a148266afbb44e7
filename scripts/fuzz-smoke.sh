#!/bin/sh
# Run every fuzz target of a fuzz build over its corpus for a few seconds.
set -eu
build=$1
secs=${2:-10}
top=$(cd "$(dirname "$0")/.." && pwd)
for exe in "$build"/tests/fuzz/fuzz_*; do
	[ -x "$exe" ] || continue
	name=$(basename "$exe" | sed 's/^fuzz_//')
	corpus="$top/tests/fuzz/corpus/$name"
	work=$(mktemp -d)
	echo "fuzz: $name for ${secs}s"
	"$exe" -max_total_time="$secs" -max_len=65536 "$work" "$corpus" 2>&1 | tail -n 2
	rm -rf "$work"
done
