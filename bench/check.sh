#!/bin/sh
# Benchmark (issue 3): `ordoctor check` against the mock with 100 ms latency
# and four distinct keys in the HOME, versus a shell script doing the same
# four `curl` calls in sequence.  Target: check under 1.5 x one round trip,
# because every probe runs concurrently.  Also: peak RSS of check.
set -eu
. "$(dirname "$0")/lib.sh" "${1:-build/ordoctor}"
LAT=${LATENCY_MS:-100}
home="$BENCH_TMP/home"
mkdir -p "$home" "$BENCH_TMP/work"
k1=$(fake_key); k2=$(fake_key); k3=$(fake_key); k4=$(fake_key)
printf '%s active limit=10\n%s deleted\n%s management\n%s active limit=5 usage=5\n' \
	"$k1" "$k2" "$k3" "$k4" >"$BENCH_TMP/keys"
printf 'export OPENROUTER_API_KEY=%s\nexport OPENROUTER_KEY=%s\nexport OR_API_KEY=%s\n' \
	"$k1" "$k2" "$k3" >"$home/.bashrc"
printf 'OPENROUTER_API_KEY=%s\n' "$k4" >"$BENCH_TMP/work/.env"
"$BIN" mock --keys "$BENCH_TMP/keys" --listen 127.0.0.1:0 --latency-ms "$LAT" >"$BENCH_TMP/mock.out" 2>&1 &
mock=$!
trap 'kill $mock 2>/dev/null; rm -rf "$BENCH_TMP"' EXIT
i=0
while ! grep -q listening "$BENCH_TMP/mock.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's/^listening on //p' "$BENCH_TMP/mock.out")
# the sequential peer: the key goes to curl on stdin (-K -), never on argv
cat >"$BENCH_TMP/seq.sh" <<SEQ
for k in $k1 $k2 $k3 $k4; do
	printf 'header = "Authorization: Bearer %s"\n' "\$k" | curl -s -o /dev/null -K - "$url/api/v1/key"
done
SEQ
one_rtt=$(printf 'header = "Authorization: Bearer %s"\n' "$k1" |
	curl -s -o /dev/null -w '%{time_total}' -K - "$url/api/v1/key" | awk '{printf "%.2f", $1 * 1000}')
cd "$BENCH_TMP/work"
t_check=$(median_ms env -i HOME="$home" "$BIN" check --api-base "$url")
t_seq=$(median_ms sh "$BENCH_TMP/seq.sh")
t_start=$(median_ms env -i HOME="$home" "$BIN" check --offline)
rss=$(env -i HOME="$home" /usr/bin/time -f %M "$BIN" check --api-base "$url" 2>&1 >/dev/null | tail -n 1)
echo "check: 4 distinct keys, mock latency ${LAT} ms"
echo "  one round trip (curl -w time_total)   ${one_rtt} ms"
echo "  ordoctor check                        ${t_check} ms"
echo "  ordoctor check --offline (start-up)   ${t_start} ms"
echo "  sequential curl script (4 calls)      ${t_seq} ms"
echo "  ratio check / one round trip          $(ratio "$t_check" "$one_rtt")"
echo "  ratio check / sequential curl         $(ratio "$t_check" "$t_seq")"
echo "  peak RSS of check                     ${rss} KB"
