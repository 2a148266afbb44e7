#!/bin/sh
# make deb: build the Debian package from a clean copy of the tree, check it
# with lintian, and (DEB_INSTALL=1, as CI does) install it and run the
# installed binary.
# usage: scripts/deb.sh OUTDIR
# The .deb is left in OUTDIR (default build/deb).  dpkg-buildpackage writes
# into the parent of the source tree, so the build happens in a temporary
# directory; the copy is what git tracks plus what it would add (untracked,
# not ignored), so build/ and local leftovers stay out of the package.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
case $out in /*) ;; *) out=$PWD/$out ;; esac
start=$(date +%s)

# the build dependencies (as `make build`) and the packaging tools
"$top/scripts/deps.sh"
need=""
for t in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian fakeroot:fakeroot; do
	command -v "${t%%:*}" >/dev/null 2>&1 || need="$need ${t#*:}"
done
if [ -n "$need" ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "deb: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >/dev/null || true
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/ordoctor-$version
mkdir "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	# (a tracked file deleted in the work tree is skipped, not an error)
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$src" -xf -
else
	(cd "$top" && tar --exclude='./build' --exclude='./build-*' -cf - .) | tar -C "$src" -xf -
fi

echo "deb: dpkg-buildpackage -b -us -uc in $src" >&2
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$tmp/build.log" 2>&1 || {
	tail -n 60 "$tmp/build.log"
	echo "deb: dpkg-buildpackage failed" >&2
	exit 1
}
deb=$(ls "$tmp"/ordoctor_"$version"_*.deb)

echo "deb: lintian $(basename "$deb")" >&2
lintian --fail-on error --info "$deb" || { echo "deb: lintian reports errors" >&2; exit 1; }

mkdir -p "$out"
cp "$deb" "$out/"
deb=$out/$(basename "$deb")
dpkg-deb --contents "$deb" | awk '{print $NF}' | grep -E 'bin/ordoctor$|man1/ordoctor|share/ordoctor/tools/aider$|completions/ordoctor$|_ordoctor$|ordoctor.fish$' >"$tmp/want"
[ "$(wc -l <"$tmp/want")" -eq 6 ] || {
	echo "deb: the package lacks some of: binary, man page, data, three completions" >&2
	dpkg-deb --contents "$deb" >&2
	exit 1
}

if [ "${DEB_INSTALL:-0}" = 1 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "deb: installing $deb" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >/dev/null
	/usr/bin/ordoctor version
	home=$(mktemp -d)
	# the installed binary on an empty home: nothing found, exit 0
	env -i HOME="$home" PATH=/usr/bin:/bin NO_COLOR=1 /usr/bin/ordoctor -C "$home" keys --offline
	rm -rf "$home"
	man -w ordoctor >/dev/null 2>&1 || [ -e /usr/share/man/man1/ordoctor.1.gz ]
fi
echo "deb: $deb ($(($(date +%s) - start)) s)"
