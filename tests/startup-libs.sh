#!/bin/sh
# Offline commands never load libcurl, libmicrohttpd or Vectorscan (issue 14:
# they are dlopen'd by the commands that use them, lib/dl.h).  The dynamic
# loader lists every object it maps with LD_DEBUG=files; the command's own
# output and exit status do not matter here.  explain is the control: it
# must map Vectorscan and nothing else of the three, and an online check
# libcurl, or this test proves nothing.  No timing: what is measured is what is loaded.
# usage: tests/startup-libs.sh BUILD/ordoctor
# Ends with "N passed, N failed".
set -u
bin=$1
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"
echo 'HTTP 401 No auth credentials found' >"$tmp/paste"

# maps CMD...: the libraries of the three that CMD maps, one per line
maps() {
	env -i HOME="$tmp/home" PATH=/usr/bin:/bin LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" \
		"$bin" "$@" <"$tmp/paste" >/dev/null 2>&1
	cat "$tmp"/ld.* 2>/dev/null | grep -oE 'file=[^ ]*(libcurl|libmicrohttpd|libhs)[^ ]*' |
		sed 's|^file=||; s|.*/||; s|\.so.*||' | sort -u
	rm -f "$tmp"/ld.*
}
check() {
	want=$1
	shift
	got=$(maps "$@" | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
		echo "ok   ordoctor $* maps: ${got:-none of them}"
	else
		fail=$((fail + 1))
		echo "FAIL ordoctor $*: maps '$got', expected '$want'"
	fi
}

check "" --version
check "" version
check "" help
check "" keys --offline
check "" tools --offline
check "" check --offline
check "" check -q --offline
check "" env
check "" keys --scan "$tmp/home"
check "libhs " explain
# and a command that talks to the network loads libcurl (a closed port on
# the loopback: refused at once, nothing leaves the machine)
check "libcurl " check -q --api-base http://127.0.0.1:9 --timeout 2
# OpenSSL reads openssl.cnf on first use unless told not to, which cost a
# tenth of a one-line explain (its digest of the patterns) and of tools:
# no command reads it (seen with strace, where installed)
if command -v strace >/dev/null; then
	for c in explain "keys --offline"; do
		# shellcheck disable=SC2086
		env -i HOME="$tmp/home" PATH=/usr/bin:/bin OPENSSL_CONF="$tmp/openssl.cnf" \
			OPENROUTER_API_KEY=sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000 \
			strace -f -e trace=openat,open -o "$tmp/trace" "$bin" $c <"$tmp/paste" >/dev/null 2>&1
		if grep -q openssl.cnf "$tmp/trace"; then
			fail=$((fail + 1))
			echo "FAIL ordoctor $c reads openssl.cnf"
		else
			pass=$((pass + 1))
			echo "ok   ordoctor $c does not read openssl.cnf"
		fi
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
