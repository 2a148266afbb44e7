#!/bin/sh
# Run every fuzz target of a fuzz build for minutes each, one after the
# other, and print a table: target, executions, seconds, crashes.
#
#   scripts/fuzz-long.sh BUILD SECONDS [TARGET...]
#
# The corpus is kept between runs in BUILD/fuzz-corpus/TARGET, seeded from
# tests/fuzz/corpus/TARGET, so each run starts where the last one stopped.
# An input that crashes, leaks or hangs (30 s) is kept in
# BUILD/fuzz-artifacts/TARGET/ and printed base64-encoded; put it into
# tests/fuzz/corpus/TARGET with the fix.  With FUZZ_MERGE=1 the inputs that
# add coverage are merged (minimised) back into tests/fuzz/corpus/TARGET.
# Exits non-zero when any target crashed.
set -u
build=$1
secs=${2:-300}
shift 2 2>/dev/null || shift $#
top=$(cd "$(dirname "$0")/.." && pwd)
table=$(mktemp)
failed=0

targets=$*
if [ -z "$targets" ]; then
	for exe in "$build"/tests/fuzz/fuzz_*; do
		[ -f "$exe" ] && [ -x "$exe" ] && targets="$targets $(basename "$exe" | sed 's/^fuzz_//')"
	done
fi

for name in $targets; do
	exe="$build/tests/fuzz/fuzz_$name"
	seed="$top/tests/fuzz/corpus/$name"
	kept="$build/fuzz-corpus/$name"
	art="$build/fuzz-artifacts/$name"
	log="$build/fuzz-long-$name.log"
	mkdir -p "$kept" "$art" "$seed"
	before=$(ls "$art" | wc -l)
	echo "fuzz-long: $name for ${secs}s (corpus $kept)"
	"$exe" -max_total_time="$secs" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" "$kept" "$seed" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	crashes=$(( $(ls "$art" | wc -l) - before ))
	[ $rc -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	printf '%-12s %14s %8s %8s\n' "$name" "${execs:-?}" "${took:-$secs}" "$crashes" >>"$table"
	if [ "$crashes" -ne 0 ]; then
		failed=1
		tail -n 30 "$log"
		for a in $(ls -t "$art" | head -n "$crashes"); do
			echo "fuzz-long: $name: $art/$a:"
			base64 -w0 "$art/$a"
			echo
		done
	fi
	if [ "${FUZZ_MERGE:-0}" = 1 ]; then
		"$exe" -merge=1 -max_len=65536 "$seed" "$kept" >>"$log" 2>&1
	fi
done

printf '%-12s %14s %8s %8s\n' target executions seconds crashes
cat "$table"
rm -f "$table"
exit $failed
