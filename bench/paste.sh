#!/bin/sh
# Benchmark: `ordoctor explain` on a one-line pasted error, next to
# `curl --version` (a process that starts, loads libcurl and OpenSSL and
# prints a line): issue 12 asks for a ratio of at most 2.  The signature
# database is compiled at build time (gen/sigdb-compile), so this
# is process start-up, reading the data, one scan and the report.
# With hyperfine installed its table is printed too.
#
#   bench/paste.sh [path/to/ordoctor]
set -eu
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "paste bench: curl is needed" >&2; exit 2; }
printf '%s\n' 'openai.AuthenticationError: Error code: 401 - {'"'"'error'"'"': {'"'"'message'"'"': '"'"'User not found.'"'"', '"'"'code'"'"': 401}}' \
	>"$BENCH_TMP/one-line-error"
cd "$BENCH_TMP"
explain_ms=$(median_ms sh -c "'$BIN' explain < one-line-error")
curl_ms=$(median_ms sh -c 'curl --version')
echo "explain (one-line paste): ${explain_ms} ms median of 11"
echo "curl --version:           ${curl_ms} ms median of 11"
echo "ratio explain/curl:       $(ratio "$explain_ms" "$curl_ms") (target <= 2)"
if command -v hyperfine >/dev/null; then
	hyperfine -N -i --warmup 3 --runs 30 "$BIN explain one-line-error" 'curl --version' 2>/dev/null |
		grep -E 'Time|±|faster|Benchmark|times' || true
fi
