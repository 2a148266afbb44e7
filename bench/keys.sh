#!/bin/sh
# Benchmark: `ordoctor keys` on a HOME with 50 .env files (the working
# directory 49 levels below HOME, each level with a .env, plus ~/.env) and 10
# startup files.  Peer: `cat` of the same 60 files (the I/O floor), and
# `grep -H` for the variable over them (a line scan without any parsing).
set -eu
. "$(dirname "$0")/lib.sh" "${1:-build/ordoctor}"

home="$BENCH_TMP/home"
mkdir -p "$home"
dir="$home"
files=""
for i in $(seq 1 49); do
	dir="$dir/d$i"
	mkdir -p "$dir"
	{ echo "# project $i"; echo "DEBUG=1"; echo "OPENROUTER_API_KEY=$(fake_key)"; echo "OTHER_$i=\"x y\""; } >"$dir/.env"
	files="$files $dir/.env"
done
echo "OPENROUTER_API_KEY=$(fake_key)" >"$home/.env"
files="$files $home/.env"
for f in .bashrc .bash_profile .profile .zshrc .zshenv .zprofile .bash_aliases .cshrc .zlogin .bash_login; do
	{ for j in $(seq 1 40); do echo "alias a$j='ls -l'"; done; echo "export OPENROUTER_API_KEY=$(fake_key)"; } >"$home/$f"
	files="$files $home/$f"
done
nfiles=$(echo $files | wc -w)

cd "$dir"
t_keys=$(median_ms env -i HOME="$home" "$BIN" keys --offline)
# shellcheck disable=SC2086
t_cat=$(median_ms cat $files)
# shellcheck disable=SC2086
t_grep=$(median_ms grep -H OPENROUTER_API_KEY $files)
echo "keys: $nfiles files (50 .env, 10 startup files)"
echo "  ordoctor keys      ${t_keys} ms"
echo "  cat (I/O floor)    ${t_cat} ms"
echo "  grep -H            ${t_grep} ms"
echo "  ratio keys/grep    $(ratio "$t_keys" "$t_grep")"
echo "  ratio keys/cat     $(ratio "$t_keys" "$t_cat")"
