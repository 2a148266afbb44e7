# Shared helpers for the benchmarks: timing without hyperfine when absent.
# Sourcing this file with the binary path as $1 sets BIN (absolute) and a
# temporary BENCH_TMP removed at exit (a script may replace the trap).
BIN=${1:-build/ordoctor}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
BENCH_TMP=$(mktemp -d)
trap 'rm -rf "$BENCH_TMP"' EXIT
# median_ms CMD... : run CMD 11 times (after 2 warm-ups), print the median wall
# time in milliseconds.  Output of CMD is discarded.
median_ms() {
	i=0
	while [ $i -lt 2 ]; do "$@" >/dev/null 2>&1 || true; i=$((i + 1)); done
	i=0
	: >"$BENCH_TMP/times"
	while [ $i -lt 11 ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$BENCH_TMP/times"
		i=$((i + 1))
	done
	sort -n "$BENCH_TMP/times" | sed -n 6p | awk '{printf "%.2f\n", $1 / 1000}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }

fake_key() { printf 'sk-or-v1-%s' "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"; }
