#!/bin/sh
# Run every test of a build directory: the cmocka unit tests (through meson),
# the scenario cases (tests/cases, through build/tests/ordoctor-cases), the
# leak hunter (scripts/leak-hunt: every fixture key in every input and
# encoding, through every command), the e2e tests and the consistency test
# (tests/consistency/run.py).
# Ends with one line "N passed, N failed" counting them all; exits non-zero when
# anything failed.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)

unit_log=$(mktemp)
meson test -C "$build" --print-errorlogs --num-processes 2 >"$unit_log" 2>&1
unit_rc=$?
cat "$unit_log"
unit_ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$unit_log" | tail -n 1)
unit_fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$unit_log" | tail -n 1)
unit_to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$unit_log" | tail -n 1)
rm -f "$unit_log"
unit_ok=${unit_ok:-0}
unit_fail=$(( ${unit_fail:-0} + ${unit_to:-0} ))
[ $unit_rc -eq 0 ] || [ $unit_fail -gt 0 ] || unit_fail=1

case_log=$(mktemp)
"$build/tests/ordoctor-cases" --binary "$build/ordoctor" "$top"/tests/cases/*.case 2>&1 | tee "$case_log"
case_rc=$?
case_ok=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$case_log" | tail -n 1)
case_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$case_log" | tail -n 1)
rm -f "$case_log"
case_ok=${case_ok:-0}
case_fail=${case_fail:-1}

hunt_log=$(mktemp)
"$top/scripts/leak-hunt" "$build" 2>&1 | tee "$hunt_log"
hunt_rc=$?
hunt_ok=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$hunt_log" | tail -n 1)
hunt_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$hunt_log" | tail -n 1)
rm -f "$hunt_log"
hunt_ok=${hunt_ok:-0}
hunt_fail=${hunt_fail:-1}
[ $hunt_rc -eq 0 ] || [ $hunt_fail -gt 0 ] || hunt_fail=1

# The proxy's end-to-end tests (real npm clients) and soak test (issue 6):
# each ends with its own "N passed, N failed", counted here.
e2e_ok=0
e2e_fail=0
for s in "$top/tests/e2e/run.sh" "$top/tests/e2e/soak.sh"; do
	[ -x "$s" ] || continue
	e2e_log=$(mktemp)
	"$s" "$build" 2>&1 | tee "$e2e_log"
	e2e_ok=$((e2e_ok + $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$e2e_log" | tail -n 1 | grep . || echo 0)))
	e2e_fail=$((e2e_fail + $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$e2e_log" | tail -n 1 | grep . || echo 1)))
	rm -f "$e2e_log"
done

# The consistency test (tests/consistency): every command judging the same
# homes must give the same verdict; its "N passed, N failed" is counted here.
con_log=$(mktemp)
python3 "$top/tests/consistency/run.py" "$build" 2>&1 | tee "$con_log"
con_ok=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$con_log" | tail -n 1 | grep . || echo 0)
con_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$con_log" | tail -n 1 | grep . || echo 1)
rm -f "$con_log"

echo "unit programs: $unit_ok passed, $unit_fail failed; scenario cases: $case_ok passed, $case_fail failed; leak hunter: $hunt_ok passed, $hunt_fail failed; e2e: $e2e_ok passed, $e2e_fail failed; consistency: $con_ok passed, $con_fail failed"
echo "$((unit_ok + case_ok + hunt_ok + e2e_ok + con_ok)) passed, $((unit_fail + case_fail + hunt_fail + e2e_fail + con_fail)) failed"
[ $unit_fail -eq 0 ] && [ $case_fail -eq 0 ] && [ $case_rc -eq 0 ] && [ $hunt_fail -eq 0 ] && [ $e2e_fail -eq 0 ] && [ $con_fail -eq 0 ]
