#!/bin/sh
# Benchmark (issue 4): `ordoctor tools --offline` on a HOME where ten tools
# are configured (the fixture trees of tests/fixtures/tools, keys replaced
# by fake ones).  Target: under 20 ms.  Peer: `ordoctor --version` (the
# process start-up floor on this machine) and `cat` of the same files.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib.sh" "${1:-build/ordoctor}"
root="$BENCH_TMP/root"
mkdir -p "$root/home" "$root/work"
n=0
for t in aider cline continue hermes opencode claude-code codex llm crush openclaw; do
	(cd "$top/tests/fixtures/tools/$t" && find . -type f) | while read -r f; do
		mkdir -p "$(dirname "$root/$f")"
		sed "s/@KEY:[A-Z_]*@/$(fake_key)/g" "$top/tests/fixtures/tools/$t/$f" >"$root/$f"
	done
	n=$((n + 1))
done
files=$(find "$root" -type f | wc -l)
cd "$root/work"
t_tools=$(median_ms env -i HOME="$root/home" PATH=/usr/bin:/bin "$BIN" tools --offline)
t_ver=$(median_ms "$BIN" --version)
# shellcheck disable=SC2046
t_cat=$(median_ms cat $(find "$root" -type f))
present=$(env -i HOME="$root/home" PATH=/usr/bin:/bin "$BIN" tools --offline --json |
	grep -c '"present": true' || true)
echo "tools: $n tools configured ($files files), $present reported present"
echo "  ordoctor tools --offline     ${t_tools} ms   (target < 20 ms)"
echo "  ordoctor --version           ${t_ver} ms   (start-up floor)"
echo "  cat of the same files        ${t_cat} ms"
echo "  ratio tools / --version      $(ratio "$t_tools" "$t_ver")"
