#!/bin/sh
# make differential: install the pinned npm loaders (dotenv, json5, openai) here with
# `npm ci` when package-lock.json changed, then run the oracles (run.py)
# with Debian's python3, whose python3-dotenv and tomllib are the oracles,
# after startctx.py (the real shells) and compose.py (Debian's docker-compose).
# Ends with one line per oracle: "N inputs, N agree, N known differences,
# N disagreements"; exits non-zero on a disagreement not in KNOWN.
# usage: tests/differential/run.sh [BUILD_DIR] [-v] [--only dotenv,rc,toml,json5]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/tests/differential
build=${1:-build}
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build=$top/$build ;; esac
[ -x "$build/tests/ord-parse" ] || { echo "differential: no $build/tests/ord-parse (build with -Dtests=true)"; exit 1; }
stamp=$dir/node_modules/.ordoctor-lock
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$dir/package-lock.json"; then
	(cd "$dir" && npm ci --cache "${npm_config_cache:-$HOME/.cache/npm}" --ignore-scripts \
		--no-audit --no-fund --loglevel=error >/dev/null) || {
		echo "differential: npm ci failed"; exit 1; }
	cp "$dir/package-lock.json" "$stamp"
fi
# the start contexts of `ordoctor env` against the real bash, zsh and fish
/usr/bin/python3 "$dir/startctx.py" "$build" || ctx_rc=1
# Docker Compose services' environment against Debian's docker-compose 1.29
/usr/bin/python3 "$dir/compose.py" "$build" || ctx_rc=1
# "this project": generated apps on the real openai npm SDK and python-dotenv
/usr/bin/python3 "$dir/projectcode.py" "$build" || code_rc=1
/usr/bin/python3 "$dir/run.py" "$build" "$@" || exit 1
[ -z "${code_rc:-}" ] || exit 1
exit ${ctx_rc:-0}
