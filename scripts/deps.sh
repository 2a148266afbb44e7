#!/bin/sh
# Install what building and testing ordoctor needs, and only what is missing.
# Checks each library with pkg-config and each tool with `command -v`; runs
# apt-get (through sudo when not root) for the missing ones and says so.
# Usage: scripts/deps.sh [--test] [--bench] [--e2e] [--timeshift] [--valgrind]
#                        [--differential] [--fuzz] [--completions]
set -eu

need_pkgs=""
want() { need_pkgs="$need_pkgs $1"; }

lib() { # pkg-config-name debian-package
	pkg-config --exists "$1" 2>/dev/null || want "$2"
}
tool() { # command debian-package
	command -v "$1" >/dev/null 2>&1 || want "$2"
}

tool pkg-config pkg-config
tool meson meson
tool ninja ninja-build
tool python3 python3
tool cc gcc
if command -v pkg-config >/dev/null 2>&1; then
	lib libcrypto libssl-dev
	lib libcurl libcurl4-openssl-dev
	lib json-c libjson-c-dev
	lib yaml-0.1 libyaml-dev
	lib libmicrohttpd libmicrohttpd-dev
	lib libhs libvectorscan-dev
	lib zlib zlib1g-dev
	lib cmocka libcmocka-dev
else
	want "libssl-dev libcurl4-openssl-dev libjson-c-dev libyaml-dev libmicrohttpd-dev libvectorscan-dev zlib1g-dev libcmocka-dev"
fi
for arg in "$@"; do
	case "$arg" in
	--test)
		tool curl curl
		;;
	--completions)
		# tests/completions.sh and tests/man-examples.py: the shells
		# whose completions ship, and the man page linters
		tool bash bash
		tool zsh zsh
		tool fish fish
		tool groff groff-base
		tool mandoc mandoc
		;;
	--fuzz)
		tool clang clang
		[ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
			want libclang-rt-14-dev
		;;
	--bench)
		tool rg ripgrep
		tool hyperfine hyperfine
		tool curl curl
		tool wrk wrk
		tool nginx nginx-light
		;;
	--timeshift)
		# make test-timeshift: the scenario cases under a shifted clock
		# (libfaketime; the faketime wrapper preloads it in every child)
		tool faketime faketime
		;;
	--valgrind)
		# make test-valgrind: the scenario cases under memcheck
		tool valgrind valgrind
		;;
	--differential)
		# make differential: the real loaders the parsers are compared
		# with (tests/differential): Debian's python3 with python3-dotenv
		# and tomllib, node/npm (npm dotenv and json5 are installed
		# there by `npm ci`), and the shells
		tool node nodejs
		tool npm npm
		tool bash bash
		tool dash dash
		tool zsh zsh
		tool fish fish
		[ -x /usr/bin/python3 ] || want python3
		/usr/bin/python3 -c 'import dotenv' >/dev/null 2>&1 || want python3-dotenv
		# tests/differential/compose.py: `docker-compose config` (1.29,
		# renders a project without a daemon) and its YAML output
		tool docker-compose docker-compose
		/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || want python3-yaml
		;;
	--e2e)
		# tests/e2e and tests/conformance: the npm clients and CLIs
		# (installed there by `npm ci`)
		tool node nodejs
		tool npm npm
		tool curl curl
		tool python3 python3
		;;
	esac
done

[ -z "$need_pkgs" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing$need_pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet.
$SUDO apt-get update -qq >/dev/null || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need_pkgs >/dev/null
echo "deps: done" >&2
