#!/usr/bin/env bash
# import-corehr.sh - re-imports the whole CoreHR set into specs/corehr/:
# the four seed pages (../shared/feishu-docs) and every CoreHR page of
# ../shared/feishu-pages, as one set (`oapigen import-doc DIR`), so that types
# whose shapes agree are shared across the set. The overlays of specs/corehr/
# are merged (found by the name import-doc makes from method and path; their
# `name:` keeps the shipped names such as submit_probation).
#
#   scripts/import-corehr.sh [OAPIGEN [SHARED [SPECDIR]]]
#
# Defaults: build/generator/oapigen, ../shared, specs (writes specs/corehr/).
# With another SPECDIR the overlays are copied there first (the tests use it
# to check that the committed specs are what this script makes).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
exe=${1:-$root/build/generator/oapigen}
shared=${2:-$root/../shared}
out=${3:-$root/specs}
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT

cp "$shared"/feishu-docs/0*.txt "$shared"/feishu-pages/*corehr* "$pages"/
mkdir -p "$out/corehr"
if [ "$(cd "$out/corehr" && pwd)" != "$root/specs/corehr" ]; then
    cp "$root"/specs/corehr/*.overlay.yaml "$out/corehr/"
fi
"$exe" import-doc "$pages" -o "$out"
