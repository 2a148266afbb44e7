#!/bin/sh
# End-to-end tests of `ordoctor run` / `ordoctor proxy` with real clients:
# the official `openai` npm package and `@openrouter/sdk` (pinned in
# package-lock.json, installed here with `npm ci`), through the proxy to
# `ordoctor mock`.  Each test asserts the proxy's JSON line for the request:
# credential kind, fingerprint match, status, cause.  Ends with the line
# "N passed, N failed"; exits non-zero when anything failed.
# usage: tests/e2e/run.sh [BUILD_DIR]      (default: build)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
bin=$build/ordoctor
e2e=$top/tests/e2e
pass=0
fail=0

say() { printf '%s\n' "$*"; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	say "e2e: node and npm are needed (scripts/deps.sh --e2e installs Debian's nodejs and npm)"
	say "0 passed, 1 failed"
	exit 1
fi
[ -x "$bin" ] || { say "e2e: no binary $bin"; say "0 passed, 1 failed"; exit 1; }

# Install the pinned clients once (again when the lock file changes).
stamp=$e2e/node_modules/.ordoctor-lock
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$e2e/package-lock.json"; then
	(cd "$e2e" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) || {
		say "e2e: npm ci failed"; say "0 passed, 1 failed"; exit 1; }
	cp "$e2e/package-lock.json" "$stamp"
fi

tmp=$(mktemp -d)
mock_pid=
cleanup() {
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

key() { sed -n "s/^$1 //p" "$top/tests/fixtures/keys"; }
A=$(key ACTIVE_A)
B=$(key ACTIVE_B)
D=$(key DELETED)
cat >"$tmp/mock-keys" <<KEYS
$A active
$B deleted
$D deleted
KEYS
"$bin" mock --keys "$tmp/mock-keys" --listen 127.0.0.1:0 >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!
i=0
while ! grep -q '^listening on ' "$tmp/mock.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { say "e2e: the mock did not start"; cat "$tmp/mock.err"; say "0 passed, 1 failed"; exit 1; }
	sleep 0.1
done
MOCK=$(sed -n 's/^listening on //p' "$tmp/mock.out")

# t NAME 'python condition on r (the last request record)'... -- ENV... -- CLIENT ARGS
# Runs `ordoctor run --json` in a fresh HOME (files from $tmp/home.NAME if
# any) and checks each condition; also that no output holds a full key.
t() {
	name=$1
	shift
	conds=
	while [ "$1" != "--" ]; do conds="$conds$1
"; shift; done
	shift
	envs=
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	h=$tmp/h.$name
	mkdir -p "$h"
	[ -d "$tmp/home.$name" ] && cp -R "$tmp/home.$name/." "$h/"
	# shellcheck disable=SC2086
	(cd "$e2e" && env -i HOME="$h" PATH="$PATH" NO_COLOR=1 $envs \
		"$bin" run --json --upstream "$MOCK" -- "$@" >"$tmp/$name.out" 2>"$tmp/$name.err")
	ok=1
	why=
	if ! python3 - "$tmp/$name.out" "$conds" >"$tmp/$name.why" 2>&1 <<'PY'
import json, sys
# The last request: a client may also open a connection it never uses,
# which the proxy reports as an event line after the request.
lines = [l for l in open(sys.argv[1]) if l.startswith('{') and '"event":' not in l]
if not lines:
    print('no JSON line (no request reached the proxy)'); sys.exit(1)
r = json.loads(lines[-1])
for c in sys.argv[2].strip().split('\n'):
    try:
        good = eval(c, {'r': r})
    except Exception as e:
        good = False
    if not good:
        print('failed: ' + c); print(lines[-1].strip()); sys.exit(1)
PY
	then
		ok=0
		why=$(cat "$tmp/$name.why")
	fi
	for k in $A $B $D; do
		if grep -qF -- "$k" "$tmp/$name.out" "$tmp/$name.err"; then
			ok=0
			why="output contains a full key"
		fi
	done
	if [ $ok -eq 1 ]; then
		pass=$((pass + 1))
		say "ok   e2e-$name"
	else
		fail=$((fail + 1))
		say "FAIL e2e-$name: $why"
		sed 's/^/    /' "$tmp/$name.err" | head -20
	fi
}

# --- the official openai package ------------------------------------------------
t openai-valid \
	'r["credential"]["header"] == "bearer"' \
	'r["credential"]["redacted"] == "sk-or-v1-0e9...872"' \
	'r["credential"]["matches"]["kind"] == "env" and r["credential"]["matches"]["name"] == "OPENAI_API_KEY"' \
	'r["status"] == 200 and r["cause"] is None and r["stream"] is False' -- \
	OPENAI_API_KEY=$A -- node openai_client.cjs chat
t openai-stream \
	'r["credential"]["header"] == "bearer" and r["credential"]["matches"]["name"] == "OPENAI_API_KEY"' \
	'r["status"] == 200 and r["stream"] is True and r["cause"] is None' -- \
	OPENAI_API_KEY=$A -- node openai_client.cjs stream
mkdir -p "$tmp/home.openai-deleted"
printf 'export OPENAI_API_KEY=%s\n' "$D" >"$tmp/home.openai-deleted/.bashrc"
t openai-deleted \
	'r["credential"]["header"] == "bearer" and r["credential"]["redacted"] == "sk-or-v1-8ee...ab2"' \
	'r["credential"]["matches"]["name"] == "OPENAI_API_KEY" and r["credential"]["places"] == 2' \
	'r["status"] == 401 and r["message"] == "User not found."' \
	'r["cause"] == "key_revoked_expired_or_unknown"' -- \
	OPENAI_API_KEY=$D -- node openai_client.cjs chat
t openai-no-key \
	'r["credential"]["header"] == "none" and r["credential"]["matches"] is None' \
	'r["status"] == 401 and r["cause"] == "key_missing_or_empty"' -- \
	KEY_MODE=none -- node openai_client.cjs chat
t openai-empty-key \
	'r["credential"]["header"] == "empty"' \
	'r["status"] == 401 and r["cause"] == "key_missing_or_empty"' -- \
	KEY_MODE=empty -- node openai_client.cjs chat
t openai-both-headers \
	'r["credential"]["header"] == "both"' \
	'r["credential"]["redacted"] == "sk-or-v1-8ee...ab2" and r["credential"]["bearer"]["matches"]["name"] == "OPENAI_API_KEY"' \
	'r["status"] == 401 and r["cause"] == "wrong_auth_scheme_for_endpoint"' -- \
	KEY_MODE=both X_API_KEY=$D OPENAI_API_KEY=$A -- node openai_client.cjs chat
# The issue's "done when": a stale key from a config file (opencode's
# auth.json) while the shell holds a good one.
for n in openai-stale-store openai-good-store; do
	mkdir -p "$tmp/home.$n/.local/share/opencode"
	printf 'export OPENROUTER_API_KEY=%s\n' "$A" >"$tmp/home.$n/.bashrc"
done
printf '{\n  "openrouter": {\n    "type": "api",\n    "key": "%s"\n  }\n}\n' "$B" \
	>"$tmp/home.openai-stale-store/.local/share/opencode/auth.json"
printf '{\n  "openrouter": {\n    "type": "api",\n    "key": "%s"\n  }\n}\n' "$A" \
	>"$tmp/home.openai-good-store/.local/share/opencode/auth.json"
t openai-stale-store \
	'r["credential"]["redacted"] == "sk-or-v1-42e...450"' \
	'r["credential"]["matches"]["kind"] == "config" and r["credential"]["matches"]["path"].endswith("/.local/share/opencode/auth.json") and r["credential"]["matches"]["line"] == 4' \
	'r["status"] == 401 and r["cause"] == "tool_stale_stored_key"' -- \
	KEY_FILE=$tmp/h.openai-stale-store/.local/share/opencode/auth.json -- node openai_client.cjs chat
t openai-good-store \
	'r["credential"]["redacted"] == "sk-or-v1-0e9...872" and r["credential"]["matches"] is not None' \
	'r["status"] == 200 and r["cause"] is None' -- \
	KEY_FILE=$tmp/h.openai-good-store/.local/share/opencode/auth.json -- node openai_client.cjs chat
# The same two in text form: the request line names the source and the cause.
for n in openai-stale-store openai-good-store; do
	(cd "$e2e" && env -i HOME="$tmp/h.$n" PATH="$PATH" NO_COLOR=1 \
		KEY_FILE="$tmp/h.$n/.local/share/opencode/auth.json" \
		"$bin" run --upstream "$MOCK" -- node openai_client.cjs chat >"$tmp/$n.txt" 2>&1)
done
if grep -q 'from ~/.local/share/opencode/auth.json line 4 (openrouter.key) | 401 "User not found." | cause: tool_stale_stored_key' "$tmp/openai-stale-store.txt" &&
   grep -q 'verdict: tool_stale_stored_key' "$tmp/openai-stale-store.txt" &&
   grep -q '| 200 | ok' "$tmp/openai-good-store.txt" &&
   grep -q 'verdict: no problem seen in 1 request' "$tmp/openai-good-store.txt" &&
   ! grep -qF -e "$A" -e "$B" "$tmp/openai-stale-store.txt" "$tmp/openai-good-store.txt"; then
	pass=$((pass + 1)); say "ok   e2e-openai-store-text"
else
	fail=$((fail + 1)); say "FAIL e2e-openai-store-text"
	sed 's/^/    /' "$tmp/openai-stale-store.txt" "$tmp/openai-good-store.txt" | grep -vF -e "$A" -e "$B"
fi

# --- @openrouter/sdk ---------------------------------------------------------------
t openrouter-valid \
	'r["credential"]["header"] == "bearer" and r["credential"]["matches"]["name"] == "OPENROUTER_API_KEY"' \
	'r["status"] == 200 and r["cause"] is None' -- \
	OPENROUTER_API_KEY=$A -- node openrouter_client.mjs chat
t openrouter-stream \
	'r["credential"]["header"] == "bearer" and r["credential"]["fingerprint"] is not None' \
	'r["status"] == 200 and r["stream"] is True and r["cause"] is None' -- \
	OPENROUTER_API_KEY=$A -- node openrouter_client.mjs stream
t openrouter-deleted \
	'r["credential"]["redacted"] == "sk-or-v1-8ee...ab2" and r["credential"]["matches"]["name"] == "OPENROUTER_API_KEY"' \
	'r["status"] == 401 and r["cause"] == "key_revoked_expired_or_unknown"' -- \
	OPENROUTER_API_KEY=$D -- node openrouter_client.mjs chat
t openrouter-no-key \
	'r["credential"]["header"] in ("none", "empty")' \
	'r["status"] == 401 and r["cause"] == "key_missing_or_empty"' -- \
	KEY_MODE=none -- node openrouter_client.mjs chat
t openrouter-empty-key \
	'r["credential"]["header"] in ("none", "empty")' \
	'r["status"] == 401 and r["cause"] == "key_missing_or_empty"' -- \
	OPENROUTER_API_KEY= -- node openrouter_client.mjs chat

# --- curl ---------------------------------------------------------------------------
t curl-valid \
	'r["credential"]["header"] == "bearer" and r["credential"]["matches"]["name"] == "OPENROUTER_API_KEY"' \
	'r["status"] == 200 and r["cause"] is None' -- \
	OPENROUTER_API_KEY=$A -- sh -c 'curl -s -o /dev/null -H "Authorization: Bearer $OPENROUTER_API_KEY" -d "{\"model\":\"openai/gpt-4o\"}" "$OPENROUTER_BASE_URL/chat/completions"'
t curl-stream \
	'r["status"] == 200 and r["stream"] is True and r["cause"] is None' -- \
	OPENROUTER_API_KEY=$A -- sh -c 'curl -sN -o /dev/null -H "Authorization: Bearer $OPENROUTER_API_KEY" -d "{\"model\":\"openai/gpt-4o\",\"stream\":true}" "$OPENROUTER_BASE_URL/chat/completions"'

say "$pass passed, $fail failed"
[ $fail -eq 0 ]
