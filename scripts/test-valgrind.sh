#!/bin/sh
# Every scenario case under valgrind (memcheck): what ASan and UBSan do not
# see, reads of uninitialised memory above all, in the product code as the
# cases run it.
#
#   scripts/test-valgrind.sh [BUILD] [JOBS]
#
# The runner itself runs under valgrind with --trace-children=yes, so the
# in-process cases (a fork of the runner calling ord_cli_main_ex), the
# exec'd ones (Exec: yes) and the mock all run the product code under
# memcheck; the commands a case runs through `ordoctor run` (sh, curl: any
# program in /usr or /bin) are not traced.  A process with errors exits
# with status 99, which fails its case (the runner knows through
# ORDOCTOR_CASES_VALGRIND); every time limit of the cases is multiplied by
# ORDOCTOR_CASES_TIME_SCALE.  Each process writes its own log; the logs
# with errors are printed at the end.  The cases are split over JOBS
# runners (default 2).  Ends with "N passed, N failed" and the time taken.
set -u
build=${1:-build}
jobs=${2:-2}
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$(mktemp -d)
start=$(date +%s)
export ORDOCTOR_CASES_VALGRIND=99
export ORDOCTOR_CASES_TIME_SCALE=${ORDOCTOR_CASES_TIME_SCALE:-15}

if ! command -v valgrind >/dev/null; then
	echo "test-valgrind: valgrind is not installed (apt-get install valgrind)"
	exit 2
fi

set -- "$top"/tests/cases/*.case
n=$#
pids=
j=0
while [ $j -lt "$jobs" ]; do
	list=
	i=0
	for c in "$@"; do
		[ $((i % jobs)) -eq $j ] && list="$list $c"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	valgrind -q --tool=memcheck --trace-children=yes \
		--trace-children-skip='/usr/*,/bin/*,/sbin/*' \
		--error-exitcode=99 --leak-check=no --track-origins=no \
		--suppressions="$top/tests/valgrind.supp" \
		--log-file="$logs/vg.%p.log" \
		"$build/tests/ordoctor-cases" --binary "$build/ordoctor" $list \
		>"$logs/runner.$j.out" 2>&1 &
	pids="$pids $!"
	j=$((j + 1))
done
rc=0
for p in $pids; do
	wait "$p" || rc=1
done

passed=0
failed=0
for f in "$logs"/runner.*.out; do
	grep -v '^ok ' "$f" | grep -v '^[0-9]* passed, [0-9]* failed'
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$f" | tail -n 1)
	q=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$f" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${q:-1}))
done
bad=0
for f in "$logs"/vg.*.log; do
	[ -s "$f" ] || continue
	bad=$((bad + 1))
	echo "--- valgrind: $f"
	head -n 60 "$f"
done
[ $bad -gt 0 ] && [ $failed -eq 0 ] && failed=1
secs=$(( $(date +%s) - start ))
echo "valgrind: $n scenario cases in ${secs}s with $jobs runners; $bad process log(s) with errors"
rm -rf "$logs"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $rc -eq 0 ]
