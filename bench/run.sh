#!/bin/sh
# Run every benchmark against a build directory; prints figures and ratios.
set -eu
build=${1:-build}
here=$(dirname "$0")
sh "$here/keys.sh" "$build/ordoctor"
sh "$here/scan.sh" "$build/ordoctor"
sh "$here/check.sh" "$build/ordoctor"
sh "$here/tools.sh" "$build/ordoctor"
sh "$here/explain.sh" "$build/ordoctor"
sh "$here/paste.sh" "$build/ordoctor"
sh "$here/startup.sh" "$build/ordoctor"
