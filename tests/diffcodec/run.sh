#!/usr/bin/env bash
# run.sh - the differential codec test (meson test `diffcodec`): the codec
# the baseline generator made (OLD, bundle oldhr) and the one the current
# generator makes (NEW, bundle corehr), linked into one program and run on
# every spec example and its mutants (diffcodec_main.c). Then a self-check:
# with each perturbation of the NEW side the same run must find
# disagreements, so a silent comparison cannot pass for agreement.
#
#   tests/diffcodec/run.sh OAPIGEN WORKDIR
#
# DIFFCODEC_MUTANTS (default 200) mutants per example; DIFFCODEC_BASELINE
# (default c3bb940) the baseline commit. Skips (77) without git history.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OAPIGEN WORKDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
oapigen=$1
out=$2
cc=${CC:-cc}
mutants=${DIFFCODEC_MUTANTS:-200}

"$here/prepare.sh" "$out" "$oapigen"

# shellcheck disable=SC2207
cflags=(-std=c11 -O0 -g -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags libcjson libcurl)
        -I"$out/old" -I"$out/new" -I"$out" -I"$here")
mkdir -p "$out/obj"
# Every file of each bundle but the CLI (whatever the codec is split into).
# An object is remade when its source or a header of its bundle is newer;
# objects of files no longer generated go.
sources=() objects=() stale=()
for c in "$out"/old/*.c "$out"/new/*.c; do
    case $c in *_cli.c) continue ;; esac
    o=$out/obj/$(basename "$c" .c).o
    sources+=("$c")
    objects+=("$o")
    if [ ! -e "$o" ] || [ "$c" -nt "$o" ] ||
        [ -n "$(find "$(dirname "$c")" -name '*.h' -newer "$o" -print -quit)" ]; then
        stale+=("$c")
    fi
done
for o in "$out"/obj/*.o; do
    [ -e "$o" ] || continue
    case " ${objects[*]} " in *" $o "*) ;; *) rm -f "$o" ;; esac
done
# Two compilers at a time: the two big codec files take most of the time.
if [ ${#stale[@]} -gt 0 ]; then
    # shellcheck disable=SC2016 # the inner shell expands $0, $1, $f
    printf '%s\n' "${stale[@]}" |
        xargs -P 2 -I{} sh -c 'f=$1; shift; "$@" -c "$f" -o "$0/obj/$(basename "$f" .c).o"' \
            "$out" {} "$cc" "${cflags[@]}" -w
fi
echo "diffcodec: compiled ${#stale[@]} of ${#sources[@]} files of the two bundles"
# shellcheck disable=SC2046
"$cc" "${cflags[@]}" -Wall -Wextra -Wpedantic -Werror "$here/diffcodec.c" \
    "$here/diffcodec_main.c" "${objects[@]}" -o "$out/diffcodec" \
    $(pkg-config --libs libcjson libcurl) -lm

"$out/diffcodec" "$out/cases.json" --mutants "$mutants"

for mode in parse print to_json validate; do
    if log=$("$out/diffcodec" "$out/cases.json" --mutants 10 --perturb "$mode"); then
        echo "diffcodec: self-check FAILED: the perturbation '$mode' went unnoticed" >&2
        exit 1
    fi
    found=$(sed -n 's/^diffcodec: .* inputs, \([0-9]*\) disagreements$/\1/p' <<<"$log")
    if [ "${found:-0}" -eq 0 ]; then
        echo "diffcodec: self-check FAILED: '$mode' run failed without disagreements:" >&2
        echo "$log" >&2
        exit 1
    fi
    echo "diffcodec: self-check: perturbing the new side's $mode gives $found disagreements"
done
