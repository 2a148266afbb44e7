#!/bin/sh
# bench/proxy.sh: `ordoctor proxy` against nginx as a reverse proxy, both in
# front of the same `ordoctor mock` on loopback (no artificial latency).
# wrk measures requests/s and p50/p99 latency of (a) the mock directly,
# (b) through ordoctor proxy, (c) through nginx; curl measures the time to
# the first byte of a streamed answer through each (median of 21).
# usage: bench/proxy.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
# Needs wrk and nginx (scripts/deps.sh --bench).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
dur=${2:-5}
conns=${3:-32}
bin=$build/ordoctor
for t in wrk nginx curl; do
	command -v $t >/dev/null 2>&1 || { echo "bench/proxy: $t missing (scripts/deps.sh --bench)"; exit 2; }
done
BENCH_TMP=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	[ -f "$BENCH_TMP/nginx.pid" ] && kill "$(cat "$BENCH_TMP/nginx.pid")" 2>/dev/null || true
	sleep 0.2
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT INT TERM
. "$top/bench/lib.sh"
key=$(fake_key)
printf '%s active\n' "$key" >"$BENCH_TMP/keys"

wait_line() {
	i=0
	while ! grep -q '^listening on ' "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "bench/proxy: $1 never listened" >&2; exit 2; }; sleep 0.1
	done
	sed -n 's/^listening on //p' "$1"
}
"$bin" mock --keys "$BENCH_TMP/keys" --listen 127.0.0.1:0 >"$BENCH_TMP/mock.out" 2>/dev/null &
pids="$pids $!"
MOCK=$(wait_line "$BENCH_TMP/mock.out")
env -i HOME="$BENCH_TMP" PATH=/usr/bin:/bin "$bin" proxy -q --listen 127.0.0.1:0 --upstream "$MOCK" \
	>"$BENCH_TMP/proxy.out" 2>/dev/null &
pids="$pids $!"
PROXY=$(wait_line "$BENCH_TMP/proxy.out")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$BENCH_TMP/ngx"
cat >"$BENCH_TMP/nginx.conf" <<NGX
worker_processes auto;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $BENCH_TMP/ngx/body;
  proxy_temp_path $BENCH_TMP/ngx/proxy;
  fastcgi_temp_path $BENCH_TMP/ngx/fcgi;
  uwsgi_temp_path $BENCH_TMP/ngx/uwsgi;
  scgi_temp_path $BENCH_TMP/ngx/scgi;
  upstream mock { server ${MOCK#http://}; keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass $MOCK;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGX
sed -i "s|proxy_pass $MOCK;|proxy_pass http://mock;|" "$BENCH_TMP/nginx.conf"
nginx -c "$BENCH_TMP/nginx.conf" -p "$BENCH_TMP" 2>"$BENCH_TMP/nginx.start" || { cat "$BENCH_TMP/nginx.start"; exit 2; }
NGINX=http://127.0.0.1:$port
sleep 0.3

cat >"$BENCH_TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Content-Type"] = "application/json"
LUA
ms() { # wrk latency text (us/ms/s) -> ms
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'
}
bench() { # NAME URL
	wrk -t2 -c"$conns" -d"${dur}s" -s "$BENCH_TMP/post.lua" --latency "$2/api/v1/chat/completions" >"$BENCH_TMP/wrk.$1" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$BENCH_TMP/wrk.$1")
	p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$BENCH_TMP/wrk.$1")")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$BENCH_TMP/wrk.$1")")
	non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$BENCH_TMP/wrk.$1")
	ttfb=$(ttfb "$2")
	printf '%-16s %10s %9s %9s %12s %s\n' "$1" "$rps" "$p50" "$p99" "$ttfb" "${non2xx:+($non2xx non-2xx)}"
	eval "rps_$1=$rps; p50_$1=$p50; ttfb_$1=$ttfb"
}
ttfb() { # median time to the first byte of a streamed answer, ms
	i=0
	: >"$BENCH_TMP/ttfb"
	while [ $i -lt 21 ]; do
		curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Authorization: Bearer $key" \
			-d '{"model":"openai/gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
			"$1/api/v1/chat/completions" >>"$BENCH_TMP/ttfb"
		i=$((i + 1))
	done
	sort -n "$BENCH_TMP/ttfb" | sed -n 11p | awk '{ printf "%.3f", $1 * 1000 }'
}
echo "bench/proxy: wrk -t2 -c$conns -d${dur}s POST /api/v1/chat/completions, loopback, mock without latency"
printf '%-16s %10s %9s %9s %12s\n' "path" "req/s" "p50 ms" "p99 ms" "ttfb ms"
bench direct "$MOCK"
bench ordoctor "$PROXY"
bench nginx "$NGINX"
echo "added p50 latency: ordoctor $(awk -v a="$p50_ordoctor" -v b="$p50_direct" 'BEGIN{printf "%.3f", a-b}') ms, nginx $(awk -v a="$p50_nginx" -v b="$p50_direct" 'BEGIN{printf "%.3f", a-b}') ms"
echo "throughput ordoctor/nginx: $(ratio "$rps_ordoctor" "$rps_nginx"); streamed ttfb added: ordoctor $(awk -v a="$ttfb_ordoctor" -v b="$ttfb_direct" 'BEGIN{printf "%.3f", a-b}') ms, nginx $(awk -v a="$ttfb_nginx" -v b="$ttfb_direct" 'BEGIN{printf "%.3f", a-b}') ms"
