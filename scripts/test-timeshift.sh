#!/bin/sh
# Time bombs: run every scenario case twice, on the real clock and under
# faketime with the clock moved by SHIFT (default +5y), and compare the
# per-case results.  A case whose result changes with the date depends on
# the wall clock (an expiry, a cache date, a year) and needs a `Now:` line
# (tests/cases/README.md).  The unit tests run under the shifted clock too.
#
# Usage: scripts/test-timeshift.sh [BUILD [SHIFT]]
#
# SHIFT is a libfaketime offset (`+5y`, `-30d`, `+2h`).  faketime preloads
# libfaketime into the runner; the runner hands libfaketime's variables on
# to every process of a case (the exec'd mock and commands too).  The
# monotonic clock is not faked, so timeouts and latencies stay real.
# Ends with one line "timeshift: …"; exits non-zero when the results differ
# or anything failed.
set -u
build=${1:-build}
shift_by=${2:-+5y}
top=$(cd "$(dirname "$0")/.." && pwd)
cases="$build/tests/ordoctor-cases"

command -v faketime >/dev/null 2>&1 || {
	echo "timeshift: faketime is missing (scripts/deps.sh --timeshift installs it)"
	exit 2
}
[ -x "$cases" ] || { echo "timeshift: $cases is missing (make build)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

shifted() {
	# -m: the multi-threaded libfaketime (the mock serves from threads);
	# --exclude-monotonic: FAKETIME_DONT_FAKE_MONOTONIC=1.
	faketime -m --exclude-monotonic -f "$shift_by" "$@"
}

# "ok NAME" / "FAIL NAME", one line per case, sorted.
results() {
	sed -n -e 's/^ok   \(.*\)$/ok \1/p' -e 's/^FAIL \([^:]*\): .*/FAIL \1/p' "$1" | sort
}

"$cases" --binary "$build/ordoctor" "$top"/tests/cases/*.case >"$tmp/real.log" 2>&1
real_rc=$?
shifted "$cases" --binary "$build/ordoctor" "$top"/tests/cases/*.case >"$tmp/shifted.log" 2>&1
shifted_rc=$?
results "$tmp/real.log" >"$tmp/real"
results "$tmp/shifted.log" >"$tmp/shifted"
echo "real clock: $(tail -n 1 "$tmp/real.log")"
echo "clock $shift_by ($(shifted date -u +%Y-%m-%dT%H:%M:%SZ)): $(tail -n 1 "$tmp/shifted.log")"

# The cases whose result differs, from both sides of the comparison.
diff "$tmp/real" "$tmp/shifted" | sed -n 's/^[<>] [a-zA-Z]* //p' | sort -u >"$tmp/differ"
ndiffer=$(wc -l <"$tmp/differ")
ncases=$(wc -l <"$tmp/real")
status=0
if [ "$ndiffer" -gt 0 ]; then
	echo "these cases give another result at $shift_by: they depend on the wall clock and need a 'Now:' line"
	while IFS= read -r name; do
		a=$(grep -Fx -e "ok $name" -e "FAIL $name" "$tmp/real" | cut -d' ' -f1)
		b=$(grep -Fx -e "ok $name" -e "FAIL $name" "$tmp/shifted" | cut -d' ' -f1)
		echo "  $name: ${a:-missing} on the real clock, ${b:-missing} at $shift_by"
	done <"$tmp/differ"
	# The failure reports (with the captured output) of those cases.
	for side in real shifted; do
		awk -v list="$tmp/differ" '
			BEGIN { while ((getline n < list) > 0) want[n] = 1 }
			/^(ok   |FAIL )/ {
				name = $0
				sub(/^ok   /, "", name)
				sub(/^FAIL /, "", name)
				sub(/: .*/, "", name)
				show = ($0 ~ /^FAIL /) && (name in want)
			}
			/^[0-9]+ passed, [0-9]+ failed/ { show = 0 }
			show' "$tmp/$side.log" >"$tmp/$side.fails"
		if [ -s "$tmp/$side.fails" ]; then
			[ "$side" = real ] && echo "--- on the real clock" || echo "--- at $shift_by"
			cat "$tmp/$side.fails"
		fi
	done
	status=1
fi
# Failing on both clocks is not a time bomb, but still a failure (make test
# shows it in full).
grep -Fx -f "$tmp/real" "$tmp/shifted" | sed -n 's/^FAIL /  /p' >"$tmp/both"
if [ -s "$tmp/both" ]; then
	echo "these cases fail on both clocks:"
	cat "$tmp/both"
	status=1
fi
if [ $status -eq 0 ] && { [ "$real_rc" -ne 0 ] || [ "$shifted_rc" -ne 0 ]; }; then
	echo "the runner failed: real clock rc $real_rc, at $shift_by rc $shifted_rc"
	tail -n 20 "$tmp/real.log" "$tmp/shifted.log"
	status=1
fi

unit_log="$tmp/unit.log"
# the 'docs' suite (completions, man-page examples) drives shells and Python
# timeouts that libfaketime breaks; the product's dates are in the cases
shifted meson test -C "$build" --no-rebuild --no-suite docs --print-errorlogs --num-processes 2 >"$unit_log" 2>&1
unit_rc=$?
unit_ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$unit_log" | tail -n 1)
unit_fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$unit_log" | tail -n 1)
echo "unit programs at $shift_by: ${unit_ok:-0} passed, ${unit_fail:-?} failed"
if [ "$unit_rc" -ne 0 ]; then
	cat "$unit_log"
	status=1
fi

if [ $status -eq 0 ]; then
	echo "timeshift: $ncases cases, the same results on the real clock and at $shift_by"
else
	echo "timeshift: FAILED: $ndiffer of $ncases cases differ at $shift_by ($(wc -l <"$tmp/both") fail on both clocks; unit programs rc $unit_rc)"
fi
exit $status
