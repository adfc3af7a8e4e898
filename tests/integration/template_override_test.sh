#!/usr/bin/env bash
# `oapigen generate -t DIR` overrides the built-in templates file by file: a
# DIR holding only partials/banner.mustache changes the banner of every file
# that includes it and nothing else; a new DIR/extra.txt.mustache adds an
# output file next to the built-in ones.
set -euo pipefail
src=${OAPIGEN_SOURCE_ROOT:?}
oapigen=${OAPIGEN_EXE:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oapigen-override.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
specs=$src/specs/corehr
builtin=$("$oapigen" --version | sed -n 's/^templates: //p')
[ -f "$builtin/partials/banner.mustache" ] || fail "no built-in banner in '$builtin'"

mkdir -p "$tmp/mine/partials"
printf '/* ACME build of %s, oapigen %s. */' '{{prefix}}' '{{oapigen_version}}' \
    >"$tmp/mine/partials/banner.mustache"
printf '%s\n' '{{#endpoints}}{{c_name}} {{method}} {{{path}}}' '{{/endpoints}}' \
    >"$tmp/mine/extra.txt.mustache"

"$oapigen" generate "$specs" -o "$tmp/default"
"$oapigen" generate "$specs" -o "$tmp/custom" -t "$tmp/mine"

# The banners as the generator renders them, with the view of these specs.
"$oapigen" generate "$specs" --dump-context >"$tmp/view.json"
"$oapigen" render "$builtin/partials/banner.mustache" "$tmp/view.json" >"$tmp/old_banner"
"$oapigen" render "$tmp/mine/partials/banner.mustache" "$tmp/view.json" >"$tmp/new_banner"
grep -q "ACME build of corehr" "$tmp/new_banner" || fail "custom banner renders as '$(cat "$tmp/new_banner")'"

# Which outputs use the banner: those whose template includes it.
users=()
for t in "$builtin"/*.mustache; do
    grep -q '{{> *banner *}}' "$t" || continue
    name=$(basename "$t" .mustache)
    users+=("${name/bundle/corehr}")
done
[ "${#users[@]}" -ge 5 ] || fail "only ${#users[@]} templates include the banner"

# Every built-in output is there; those with the banner differ exactly by it,
# the others not at all.
python3 - "$tmp/default" "$tmp/custom" "$tmp/old_banner" "$tmp/new_banner" "${users[@]}" <<'PY'
import os, sys
default, custom, old_path, new_path, *users = sys.argv[1:]
old, new = open(old_path, 'rb').read(), open(new_path, 'rb').read()
bad = []
for name in sorted(os.listdir(default)):
    a = open(os.path.join(default, name), 'rb').read()
    try:
        b = open(os.path.join(custom, name), 'rb').read()
    except FileNotFoundError:
        bad.append(f'{name}: missing with -t'); continue
    if name in users:
        if a.count(old) != 1:
            bad.append(f'{name}: built-in banner found {a.count(old)} times')
        elif a.replace(old, new) != b:
            bad.append(f'{name}: differs by more than the banner')
    elif a != b:
        bad.append(f'{name}: changed although its template has no banner')
missing = set(users) - set(os.listdir(default))
bad += [f'{name}: not generated' for name in sorted(missing)]
if bad:
    sys.exit('FAIL: ' + '\nFAIL: '.join(bad))
PY

# extra.txt is new, rendered from the view; nothing else was added.
[ ! -e "$tmp/default/extra.txt" ] || fail "extra.txt without -t"
grep -qxF "corehr_submit_probation POST /open-apis/corehr/v2/probation/submit" "$tmp/custom/extra.txt" ||
    fail "extra.txt: $(cat "$tmp/custom/extra.txt")"
n=$(find "$specs" -name '*.yaml' ! -name '*.overlay.yaml' | wc -l)
[ "$(grep -c . "$tmp/custom/extra.txt")" -eq "$n" ] || fail "extra.txt should list $n endpoints"
diff <( (ls "$tmp/default"; echo extra.txt) | sort) <(ls "$tmp/custom" | sort) >/dev/null ||
    fail "outputs with -t: $(ls "$tmp/custom" | tr '\n' ' ')"

echo "ok: -t overrides banner.mustache in ${#users[@]} files and adds extra.txt"

# The runtime is overridden file by file too: DIR/runtime/og_http.c replaces
# the built-in one, copied with its prefix renamed like it.
mkdir -p "$tmp/rt/runtime"
{ cat "$builtin/runtime/og_http.c"; echo '/* ACME og_http og_client_t OG_E_API log_x */'; } \
    >"$tmp/rt/runtime/og_http.c"
"$oapigen" generate "$specs" -o "$tmp/rtout" -t "$tmp/rt"
tail -n 1 "$tmp/rtout/corehr_http.c" | grep -qx '/\* ACME corehr_http corehr_client_t COREHR_E_API log_x \*/' ||
    fail "runtime override not copied with the prefix renamed: $(tail -n 1 "$tmp/rtout/corehr_http.c")"
cmp -s "$tmp/rtout/corehr_runtime.c" "$tmp/default/corehr_runtime.c" || fail "corehr_runtime.c changed"
echo "template-override: runtime/og_http.c overridden and renamed"
