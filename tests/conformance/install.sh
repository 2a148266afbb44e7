#!/bin/sh
# Install the pinned tools of the conformance suite into tests/conformance/node_modules, from
# the npm registry only: `npm ci --ignore-scripts` (else `npm install`, see below) (nothing from a package runs at install),
# then the three postinstall scripts that only copy the platform binary out of an optional
# dependency already fetched from the registry (Claude Code, opencode, Cline).  Crush's
# postinstall downloads from GitHub releases and is NOT run (the suite reports it n/a).
# Again only when package-lock.json changed.  npm's cache: $HOME/.cache/npm.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
stamp=$dir/node_modules/.ordoctor-lock
if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then
	exit 0
fi
export npm_config_cache="${npm_config_cache:-$HOME/.cache/npm}"
cd "$dir"
# npm ci wants every platform's optional binary package in the lock file; the registry
# mirror this was locked against holds only linux-x64 ones of opencode-ai and cline, so the
# lock lacks the others and npm ci refuses it: fall back to npm install, which takes the
# locked versions (every dependency is pinned exactly) and leaves the lock file alone.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=silent >/dev/null 2>&1 ||
	npm install --ignore-scripts --no-audit --no-fund --no-save --loglevel=error >/dev/null
(cd node_modules/@anthropic-ai/claude-code && node install.cjs >/dev/null)
(cd node_modules/opencode-ai && node postinstall.mjs >/dev/null)
(cd node_modules/cline && node postinstall.mjs >/dev/null)
cp package-lock.json "$stamp"
