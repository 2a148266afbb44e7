#!/bin/sh
# Benchmark: `ordoctor keys --scan DIR` against ripgrep on the same tree.
# rg -uu searches hidden and ignored files like --scan does (and skips
# binary files like it); -c counts matches per file.  SCAN_FILES sets the
# tree size (default 20000 files of ~4 KiB, a few with keys).
set -eu
. "$(dirname "$0")/lib.sh" "${1:-build/ordoctor}"
n=${SCAN_FILES:-20000}
tree="$BENCH_TMP/tree"
mkdir -p "$tree"
# one 4 KiB block of ordinary text, reused
blk="$BENCH_TMP/block"
i=0
while [ $i -lt 64 ]; do echo "const x_$i = compute(value_$i, options); // ordinary source line"; i=$((i + 1)); done >"$blk"
d=0
i=0
while [ $i -lt "$n" ]; do
	[ $((i % 100)) -eq 0 ] && { d=$((d + 1)); mkdir -p "$tree/dir$d/.hidden"; }
	f="$tree/dir$d/file$i.txt"
	cp "$blk" "$f"
	[ $((i % 997)) -eq 0 ] && echo "OPENROUTER_API_KEY=$(fake_key)" >>"$f"
	i=$((i + 1))
done
head -c 65536 /dev/urandom >"$tree/dir1/blob.bin"
size=$(du -sm "$tree" | cut -f1)
t_scan=$(median_ms "$BIN" keys --scan "$tree" --offline)
t_rg=$(median_ms rg -uu -c 'sk-or-v1-[0-9a-f]{64}' "$tree")
t_rg1=$(median_ms rg -j1 -uu -c 'sk-or-v1-[0-9a-f]{64}' "$tree")
echo "scan: $n files, ${size} MB"
echo "  ordoctor keys --scan   ${t_scan} ms"
echo "  rg -uu -c              ${t_rg} ms"
echo "  rg -j1 -uu -c          ${t_rg1} ms"
echo "  ratio scan/rg          $(ratio "$t_scan" "$t_rg")"
echo "  ratio scan/rg-j1       $(ratio "$t_scan" "$t_rg1")"
