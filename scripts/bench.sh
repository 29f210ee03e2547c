#!/usr/bin/env bash
# Side-by-side timing of ctutor's namespace demo against util-linux unshare doing
# the same work (new UTS + PID namespaces, set a hostname, read it back), in one
# hyperfine run so both see the same machine state. Run as root for the real
# mode; the rootless pair uses a new user namespace in both tools.
#   scripts/bench.sh            build release, print the table and ratios
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (sudo apt-get install hyperfine)" >&2; exit 1; }
make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine --style none --warmup 5 --runs "${RUNS:-200}" -N --export-json "$out/startup.json" \
    -n "ctutor startup" "$bin demo list" -n "true" "true" >/dev/null

run_pair() { # name, ctutor command, unshare command
    hyperfine --style none --warmup 5 --runs "${RUNS:-200}" -N --export-json "$out/$1.json" \
        -n "ctutor $1" "$2" -n "unshare $1" "$3" >/dev/null
}

if [ "$(id -u)" -eq 0 ]; then
    run_pair real "$bin demo uts --json" \
        "unshare --uts --pid --fork sh -c 'hostname ctutor-demo; hostname'"
fi
run_pair rootless "$bin demo uts --json --rootless" \
    "unshare --user --map-root-user --uts --pid --fork sh -c 'hostname ctutor-demo; hostname'"

python3 - "$out" <<'PY'
import json, pathlib, sys
print("| pair | ctutor mean ± σ (ms) | unshare mean ± σ (ms) | ctutor / unshare |")
print("|---|---|---|---|")
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    if path.stem == "startup":
        continue
    results = json.loads(path.read_text())["results"]
    ours, theirs = results[0], results[1]
    ratio = ours["mean"] / theirs["mean"]
    print(f"| {path.stem} | {ours['mean']*1000:.2f} ± {ours['stddev']*1000:.2f} | "
          f"{theirs['mean']*1000:.2f} ± {theirs['stddev']*1000:.2f} | {ratio:.2f}× |")
startup = json.loads((pathlib.Path(sys.argv[1]) / "startup.json").read_text())["results"][0]
print(f"\nctutor start-up alone (`ctutor demo list`): {startup['mean']*1000:.2f} ± {startup['stddev']*1000:.2f} ms")
PY
