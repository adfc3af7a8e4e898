#!/usr/bin/env bash
# mustache_cli_spec.sh - runs the core mustache spec through `oapigen render`.
#
# For each test of the six core spec files, writes the template, the data and
# the partials (as DIR/NAME.mustache, passed with -p only when the test has
# any, since -p makes unknown partials an error) to a temporary directory,
# runs the binary and compares its stdout byte for byte with the expectation.
# Needs OAPIGEN_EXE (set by tests/meson.build) and python3 for the JSON.
set -euo pipefail

exe=${OAPIGEN_EXE:?OAPIGEN_EXE is not set}
spec_dir=${OAPIGEN_SHARED:-${OAPIGEN_SOURCE_ROOT:-.}/../shared}/mustache-spec
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$exe" "$spec_dir" "$work" <<'EOF'
import json, os, subprocess, sys

exe, spec_dir, work = sys.argv[1:]
core = ["comments", "delimiters", "interpolation", "inverted", "partials", "sections"]
passed = failed = 0

def write(path, text):
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))

for n, name in enumerate(core):
    with open(os.path.join(spec_dir, name + ".json"), encoding="utf-8") as f:
        tests = json.load(f)["tests"]
    for i, test in enumerate(tests):
        case = os.path.join(work, "%d-%d" % (n, i))
        os.makedirs(case)
        write(os.path.join(case, "t.mustache"), test["template"])
        write(os.path.join(case, "data.json"), json.dumps(test["data"]))
        args = [exe, "render", "t.mustache", "data.json"]
        if test.get("partials"):
            os.makedirs(os.path.join(case, "partials"))
            for pname, text in test["partials"].items():
                write(os.path.join(case, "partials", pname + ".mustache"), text)
            args += ["-p", "partials"]
        run = subprocess.run(args, cwd=case, capture_output=True)
        if run.returncode == 0 and run.stdout == test["expected"].encode("utf-8"):
            passed += 1
        else:
            failed += 1
            print("FAIL %s.json: %s\n  expected: %r\n  got:      %r\n  stderr:   %r"
                  % (name, test["name"], test["expected"], run.stdout.decode("utf-8", "replace"),
                     run.stderr.decode("utf-8", "replace")))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
