#!/usr/bin/env bash
# run.sh - build every libFuzzer target with clang and run each in turn.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGETs are spec_load, mustache,
# from_json, runtime, import_doc, diffcodec (default: all; diffcodec needs the git
# history, see tests/diffcodec/prepare.sh). One fuzzer runs at a time. Builds,
# the growing corpora and crash artifacts go to $FUZZ_BUILD_DIR (default
# build-fuzz-targets/); the seeds come from tests/fuzz/seeds/<target>/, the
# project's own files (specs, fixtures, templates) and, when present,
# ../shared (documentation pages, the mustache spec), read in place.
# A target that crashes is restarted (up to $FUZZ_RESTARTS times, default 3)
# until its time is used. Prints executions and crashes per target; exits 1
# when anything crashed. Reproduce a crash with
#   $FUZZ_BUILD_DIR/fuzz_<target> $FUZZ_BUILD_DIR/artifacts/<target>/crash-...
set -u
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-spec_load mustache from_json runtime import_doc diffcodec}
out=${FUZZ_BUILD_DIR:-build-fuzz-targets}
restarts=${FUZZ_RESTARTS:-3}
shared=${OAPIGEN_SHARED:-$root/../shared}
cc=${CC:-clang}
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -std=c11 -D_POSIX_C_SOURCE=200809L
        -I/usr/include/cjson -Igenerator)
mkdir -p "$out"

build() {
    local t=$1 exe=$out/fuzz_$1
    case $t in
    spec_load)
        "$cc" "${cflags[@]}" tests/fuzz/fuzz_spec_load.c generator/util.c \
            generator/spec_load.c generator/model.c generator/view.c \
            generator/mustache.c -lyaml -lcjson -lm -o "$exe" ;;
    mustache)
        "$cc" "${cflags[@]}" tests/fuzz/fuzz_mustache.c generator/mustache.c \
            -lcjson -o "$exe" ;;
    from_json)
        # One X(struct) line per generated _parse function.
        grep -o 'int corehr_[a-z0-9_]*_parse(' generated/corehr/corehr.h |
            sed 's/int \(.*\)_parse(/X(\1)/' > "$out/fuzz_from_json_structs.h"
        "$cc" "${cflags[@]}" -I"$out" -Igenerated/corehr tests/fuzz/fuzz_from_json.c \
            generated/corehr/corehr.c generated/corehr/corehr_runtime.c \
            -lcjson -lm -o "$exe" ;;
    runtime)
        # the runtime as it is, prefix og_, over a descriptor with every kind
        "$cc" "${cflags[@]}" -Itemplates/runtime tests/fuzz/fuzz_runtime.c \
            templates/runtime/og_runtime.c -lcjson -lm -o "$exe" ;;
    import_doc)
        "$cc" "${cflags[@]}" tests/fuzz/fuzz_import_doc.c generator/import_doc.c \
            generator/util.c -lyaml -lcjson -o "$exe" ;;
    diffcodec)
        build_diffcodec "$exe" ;;
    *)
        echo "run.sh: unknown target '$t'" >&2
        return 1 ;;
    esac
}

# The old and the new codec (tests/diffcodec), instrumented, linked into the
# fuzz target and into the deterministic driver, which writes the seeds.
build_diffcodec() {
    local exe=$1 dir=$out/diffcodec
    tests/diffcodec/prepare.sh "$dir" || return 1
    local flags=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
                 -fno-omit-frame-pointer -std=c11 -D_POSIX_C_SOURCE=200809L
                 -I/usr/include/cjson -I"$dir/old" -I"$dir/new" -I"$dir" -Itests/diffcodec)
    mkdir -p "$dir/fuzz-obj"
    # shellcheck disable=SC2016 # the inner shell expands $0, $1, $f
    printf '%s\n' "$dir"/old/*.c "$dir"/new/*.c | grep -v '_cli\.c$' |
        xargs -P 2 -I{} sh -c 'f=$1; shift; "$@" -c "$f" -o "$0/$(basename "$f" .c).o"' \
            "$dir/fuzz-obj" {} "$cc" "${flags[@]}" -fsanitize=fuzzer-no-link -w || return 1
    "$cc" "${flags[@]}" -fsanitize=fuzzer tests/fuzz/fuzz_diffcodec.c tests/diffcodec/diffcodec.c \
        "$dir"/fuzz-obj/*.o -lcjson -lcurl -lm -o "$exe" || return 1
    "$cc" "${flags[@]}" tests/diffcodec/diffcodec_main.c tests/diffcodec/diffcodec.c \
        "$dir"/fuzz-obj/*.o -lcjson -lcurl -lm -o "$dir/diffcodec" || return 1
    rm -rf "$dir/seeds" && mkdir -p "$dir/seeds"
    "$dir/diffcodec" "$dir/cases.json" --mutants 0 --seeds "$dir/seeds" >/dev/null
}

# Extra seed directories, read in place (libFuzzer writes only to the first).
seed_dirs() {
    local d
    case $1 in
    spec_load)  for d in specs/corehr tests/fixtures/specs/good tests/fixtures/specs/bad \
                         tests/hostile; do [ -d "$d" ] && echo "$d"; done ;;
    mustache)   echo templates; echo templates/partials
                [ -d "$out/seeds_mustache_spec" ] && echo "$out/seeds_mustache_spec" ;;
    import_doc) echo tests/fixtures/import
                [ -d "$shared/feishu-docs" ] && echo "$shared/feishu-docs" ;;
    diffcodec)  echo "$out/diffcodec/seeds" ;;
    esac
}

# The mustache spec's templates, one file each (the spec is JSON).
prepare_mustache_seeds() {
    local dir=$out/seeds_mustache_spec
    [ -d "$shared/mustache-spec" ] && command -v python3 >/dev/null || return 0
    mkdir -p "$dir"
    python3 - "$shared/mustache-spec" "$dir" <<'EOF'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    if not name.endswith('.json'):
        continue
    for i, test in enumerate(json.load(open(os.path.join(src, name)))['tests']):
        with open(os.path.join(dst, '%s_%d.mustache' % (name[:-5], i)), 'w') as f:
            f.write(test['template'])
EOF
}

# A dictionary for from_json: JSON tokens plus every wire name of the
# generated descriptor tables (lines `    {"wire", ...`).
prepare_from_json_dict() {
    cp tests/fuzz/from_json.dict "$out/from_json.dict"
    grep -o '^    {"[^"]*"' generated/corehr/corehr.c | sed 's/^    {//' | sort -u |
        sed 's/^"\(.*\)"$/"\\"\1\\""/' >> "$out/from_json.dict"
}

options() {
    case $1 in
    spec_load)  echo "-max_len=8192 -dict=tests/fuzz/spec_load.dict" ;;
    mustache)   echo "-max_len=4096" ;;
    from_json)  echo "-max_len=16384 -dict=$out/from_json.dict" ;;
    runtime)    echo "-max_len=4096 -dict=tests/fuzz/from_json.dict" ;;
    import_doc) echo "-max_len=32768" ;;
    diffcodec)  echo "-max_len=16384 -dict=$out/from_json.dict" ;;
    esac
}

# Distinct crash inputs (slow-unit-* files are not crashes).
count_crashes() {
    find "$1" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | wc -l
}

total_crashes=0
summary=""
for t in $targets; do
    echo "=== fuzz_$t: building"
    if ! build "$t"; then
        summary+=$(printf '\n%-12s build failed' "$t")
        total_crashes=$((total_crashes + 1))
        continue
    fi
    [ "$t" = mustache ] && prepare_mustache_seeds
    case $t in from_json|diffcodec) prepare_from_json_dict ;; esac
    corpus=$out/corpus/$t artifacts=$out/artifacts/$t
    mkdir -p "$corpus" "$artifacts"
    [ -d "tests/fuzz/seeds/$t" ] && cp -n tests/fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null
    before=$(count_crashes "$artifacts")
    execs=0 runs=0 left=$secs start=$(date +%s)
    while [ "$left" -gt 0 ] && [ "$runs" -le "$restarts" ]; do
        log=$out/fuzz_$t.$runs.log
        # shellcheck disable=SC2046
        OAPIGEN_SOURCE_ROOT=$root "$out/fuzz_$t" $(options "$t") -max_total_time="$left" \
            -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$artifacts/" "$corpus" $(seed_dirs "$t") > "$log" 2>&1 &
        pid=$!
        wait $pid
        status=$?
        # the targets' private temp files are named after their process
        rm -f /tmp/fuzz_"$t"."$pid".*
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        execs=$((execs + ${n:-0}))
        runs=$((runs + 1))
        if [ "$status" -ne 0 ]; then
            echo "--- fuzz_$t stopped (status $status); log $log:"
            grep -E 'ERROR|SUMMARY|fuzz_[a-z_]+: |Test unit written' "$log" | head -8
        fi
        [ "$status" -eq 0 ] && break
        left=$((secs - ($(date +%s) - start)))
    done
    crashes=$(( $(count_crashes "$artifacts") - before ))
    total_crashes=$((total_crashes + crashes))
    summary+=$(printf '\n%-12s %10d executions %4d crash(es) %6d corpus files' \
        "$t" "$execs" "$crashes" "$(ls "$corpus" | wc -l)")
    echo "=== fuzz_$t: $execs executions, $crashes crash(es)"
done
echo
echo "target       executions   crashes  corpus$summary"
[ "$total_crashes" -eq 0 ]
