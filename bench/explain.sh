#!/bin/sh
# Benchmark: `ordoctor explain` on a large log next to grep and ripgrep
# given the same patterns (design.md, "Performance targets").
#
#   bench/explain.sh [path/to/ordoctor]      SIZE=MB (default 1024)
#
# 1. Generates SIZE MB of realistic mixed log lines in a temp dir (mostly
#    unrelated traffic, about 3% OpenRouter failures in the wrappers tools
#    really print: Python dict reprs, LiteLLM, Node SDKs, JSON lines,
#    syslog/Home Assistant/nginx time formats).
# 2. Writes the patterns file with the hidden `ordoctor explain
#    --dump-patterns` (every `pattern:` of data/signatures, in the grep/rg
#    form: a leading (?i) expanded to bracket expressions).
# 3. With the file in the page cache, times (best of RUNS, default 3):
#      wc -l                          the memory-bandwidth ceiling
#      ordoctor explain --json        one Vectorscan pass + classification
#      rg -c -f patterns              ripgrep, counting matching lines
#      grep -c -E -f patterns         GNU grep, LC_ALL=C (its fastest mode;
#                                     in a UTF-8 locale it is far slower)
#    and prints MB/s and the ratios.  ordoctor's time includes compiling
#    the signature database (printed separately) and writing the report.
# 4. Peak memory of ordoctor on 1/8 of the log and on all of it: it must
#    not grow with the input.
# Not part of `make test`: run it on demand (make bench runs bench/run.sh).
set -eu
BIN=${1:-build/ordoctor}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
SIZE=${SIZE:-1024}
RUNS=${RUNS:-3}
BENCH_TMP=$(mktemp -d)
trap 'rm -rf "$BENCH_TMP"' EXIT
LOG="$BENCH_TMP/app.log"
PATS="$BENCH_TMP/patterns"

command -v rg >/dev/null || { echo "explain bench: ripgrep (rg) is needed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "explain bench: python3 is needed to generate the log" >&2; exit 2; }

python3 - "$LOG" "$SIZE" <<'EOF'
import datetime, random, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
random.seed(42)
day0 = datetime.datetime(2025, 3, 1)
normal = [
    '{ts} INFO  [app.server] GET /api/items/{n} 200 {ms}ms user={u}',
    '{ts} DEBUG [app.cache] hit key=session:{u}:{n} ttl=300',
    '10.0.{a}.{b} - - [{clf}] "GET /static/app.{n}.js HTTP/1.1" 200 {n} "-" "Mozilla/5.0 (X11; Linux x86_64)"',
    '{ts} INFO  [worker] processed job {n} in {ms} ms (queue=default, attempt=1)',
    '{ts} WARNING (MainThread) [homeassistant.components.sensor] Updating state for sensor.temp_{n} took {ms} ms',
    '{{"ts":"{iso}","level":"info","msg":"chat completion ok","model":"openai/gpt-4o-mini","tokens":{n},"latency_ms":{ms}}}',
    '{ts} INFO  [httpx] HTTP Request: POST https://openrouter.ai/api/v1/chat/completions "HTTP/1.1 200 OK"',
    '{ts} DEBUG [db] SELECT id, name, created_at FROM users WHERE id = {n} ({ms} ms)',
    '{sys} web01 nginx[912]: upstream response time {ms} ms for /api/v2/orders/{n}',
    '{ts} INFO  [scheduler] next run of job report-{n} at {iso}',
]
errors = [
    "{ts} ERROR [agent] openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'User not found.', 'code': 401}}}}",
    '{ts} ERROR [agent] litellm.APIError: APIError: OpenrouterException - {{"error":{{"message":"Provider returned error","code":401,"metadata":{{"raw":"{{\\"type\\":\\"error\\",\\"error\\":{{\\"type\\":\\"authentication_error\\",\\"message\\":\\"invalid x-api-key\\"}}}}","provider_name":"Anthropic"}}}},"user_id":"user_2zXpAc2xC9dmXcozfrkPIkOYnb5"}}',
    '{ts} ERROR [agent] litellm.RateLimitError: RateLimitError: OpenrouterException - {{"error":{{"message":"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day","code":429}}}}',
    '{{"ts":"{iso}","level":"error","msg":"upstream failed","error":{{"message":"Provider returned error","code":502,"metadata":{{"raw":"upstream connect error","provider_name":"DeepInfra"}}}},"user_id":"user_2zXpAc2xC9dmXcozfrkPIkOYnb5"}}',
    '{ts} WARNING [agent] Request timed out. Please try again later. (model=meta-llama/llama-3.3-70b-instruct)',
    '{ts} ERROR [agent] AuthenticationError: 401 Missing Authentication header',
    '{sys} web01 agent[412]: API Error: 402 {{"error":{{"message":"This request requires more credits, or fewer max_tokens. You requested up to 65536 tokens, but can only afford 10114. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account","code":402}}}}',
    "{ts} ERROR (MainThread) [homeassistant.components.open_router] Error code: 429 - {{'error': {{'message': 'Rate limit exceeded', 'code': 429}}}}",
]
# One day of traffic (about 16 MB), then copies with the date moved on:
# realistic timestamps without generating every line in Python.
lines, w, t = [], 0, day0
step = datetime.timedelta(milliseconds=600)
while w < 16 * 1024 * 1024:
    t += step
    kw = dict(ts=t.strftime('%Y-%m-%d %H:%M:%S') + ',%03d' % random.randint(0, 999),
              iso=t.strftime('%Y-%m-%dT%H:%M:%S.000Z'), clf=t.strftime('%d/%b/%Y:%H:%M:%S +0000'),
              sys=t.strftime('%b %e %H:%M:%S'), n=random.randint(1, 999999), ms=random.randint(1, 900),
              u=random.randint(1, 50000), a=random.randint(0, 255), b=random.randint(0, 255))
    line = (random.choice(errors) if random.random() < 0.03 else random.choice(normal)).format(**kw) + '\n'
    lines.append(line)
    w += len(line)
block = ''.join(lines).encode()
fmts = ['%Y-%m-%d', '%d/%b/%Y', '%b %e']
with open(path, 'wb') as out:
    written, k = 0, 0
    while written < size_mb * 1024 * 1024:
        d = day0 + datetime.timedelta(days=k)
        b = block
        if k:
            for f in fmts:
                b = b.replace(day0.strftime(f).encode(), d.strftime(f).encode())
        b = b[: size_mb * 1024 * 1024 - written]
        cut = b.rfind(b'\n') + 1 if len(b) < len(block) else len(b)
        out.write(b[:cut] if cut else b)
        written += cut if cut else len(b)
        k += 1
        if not cut:
            break
EOF

"$BIN" explain --dump-patterns >"$PATS"
bytes=$(wc -c <"$LOG")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$LOG" >/dev/null  # into the page cache

# best_s CMD...: the best wall time of RUNS runs, in seconds.  Output goes
# to a file, not /dev/null: GNU grep notices /dev/null and stops at the
# first match.
best_s() {
	best=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s%N)
		"$@" >"$BENCH_TMP/out" 2>&1 || true
		e=$(date +%s%N)
		d=$(( (e - s) / 1000 ))
		if [ -z "$best" ] || [ $d -lt $best ]; then best=$d; fi
		i=$((i + 1))
	done
	awk -v u="$best" 'BEGIN { printf "%.3f", u / 1e6 }'
}
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", b / 1048576 / s; else print "inf" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

t_wc=$(best_s wc -l "$LOG")
t_od=$(best_s "$BIN" explain --json --no-progress "$LOG")
t_zero=$(best_s sh -c ": | \"$BIN\" explain --json --no-progress")
t_rg=$(best_s rg -c -f "$PATS" "$LOG")
t_grep=$(best_s env LC_ALL=C grep -c -E -f "$PATS" "$LOG")

failure_lines=$("$BIN" explain --json --no-progress "$LOG" | sed -n 's/^ *"failure_lines": \([0-9]*\).*/\1/p' | head -n 1)
grep_lines=$(rg -c -f "$PATS" "$LOG" || true)

head -c $((bytes / 8)) "$LOG" >"$BENCH_TMP/eighth.log"
rss_small=$(/usr/bin/time -f %M "$BIN" explain --json --no-progress "$BENCH_TMP/eighth.log" 2>&1 >/dev/null | tail -n 1)
rss_full=$(/usr/bin/time -f %M "$BIN" explain --json --no-progress "$LOG" 2>&1 >/dev/null | tail -n 1)

echo "explain: ${mb} MB log, $(wc -l <"$LOG") lines, $(wc -l <"$PATS") patterns; best of $RUNS runs, page cache warm"
printf "  %-34s %8s s  %6s MB/s\n" "wc -l (bandwidth ceiling)" "$t_wc" "$(rate "$t_wc")"
printf "  %-34s %8s s  %6s MB/s\n" "ordoctor explain --json" "$t_od" "$(rate "$t_od")"
printf "  %-34s %8s s\n" "  of which start-up (empty input)" "$t_zero"
printf "  %-34s %8s s  %6s MB/s\n" "rg -c -f patterns" "$t_rg" "$(rate "$t_rg")"
printf "  %-34s %8s s  %6s MB/s\n" "LC_ALL=C grep -c -E -f patterns" "$t_grep" "$(rate "$t_grep")"
echo "  ratio rg/ordoctor      $(ratio "$t_rg" "$t_od")   (above 1: ordoctor is faster)"
echo "  ratio grep/ordoctor    $(ratio "$t_grep" "$t_od")"
echo "  ratio ordoctor/wc -l   $(ratio "$t_od" "$t_wc")"
echo "  lines: ordoctor failure lines $failure_lines, rg matching lines $grep_lines (fallback, and/not rules and evidence-only lines differ)"
echo "  peak RSS: ${rss_small} kB on 1/8 of the log, ${rss_full} kB on all of it"
