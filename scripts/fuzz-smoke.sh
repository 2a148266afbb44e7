#!/bin/sh
# Run every fuzz target of a fuzz build over its corpus for a few seconds;
# exits non-zero when any target crashes (libFuzzer's own exit code).
# Crash reproducers go to a temporary directory, never into the tree.
set -u
build=$1
secs=${2:-10}
top=$(cd "$(dirname "$0")/.." && pwd)
failed=0
for exe in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=$(basename "$exe" | sed 's/^fuzz_//')
	corpus="$top/tests/fuzz/corpus/$name"
	work=$(mktemp -d)
	log=$(mktemp)
	echo "fuzz: $name for ${secs}s"
	"$exe" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$work/" \
		"$work" "$corpus" >"$log" 2>&1
	rc=$?
	tail -n 2 "$log"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $name FAILED (exit $rc); the input that crashed it:"
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
			[ -f "$a" ] && base64 -w0 "$a" && echo
		done
		failed=1
	fi
	rm -rf "$work" "$log"
done
exit $failed
