#!/usr/bin/env bash
# A container's start and end, side by side in one hyperfine run: `ctutor run --rm`
# of the busybox image (an overlay of its layer), `ctutor run --rm --rootfs` of the
# same layer directory (a bind mount, as runc does), and `runc run` of a bundle on
# that same directory, each running /bin/true as PID 1.
#   scripts/bench-run.sh            build release, print the table and ratios
#   RUNS=50 scripts/bench-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench-run: needs hyperfine (sudo apt-get install hyperfine)" >&2; exit 1; }
command -v runc >/dev/null || { echo "bench-run: needs runc (sudo apt-get install runc)" >&2; exit 1; }
make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
runs=${RUNS:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data

# The busybox image, and its one layer as a plain root directory for runc.
"$bin" run --rm busybox -- /bin/true
layer=$(find "$XDG_DATA_HOME/ctutor/images" -path '*/layers/*' -name busybox -type f -printf '%h\n' | head -n 1)
layer=${layer%/bin}
[ -x "$layer/bin/busybox" ] || { echo "bench-run: no busybox layer found under $XDG_DATA_HOME" >&2; exit 1; }

bundle=$work/bundle
mkdir -p "$bundle"
rootless=()
[ "$(id -u)" -eq 0 ] || rootless=(--rootless)
(cd "$bundle" && runc spec "${rootless[@]}")
python3 - "$bundle/config.json" "$layer" <<'PY'
import json, sys
path, root = sys.argv[1], sys.argv[2]
config = json.load(open(path))
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
config["root"] = {"path": root, "readonly": True}
json.dump(config, open(path, "w"), indent=1)
PY
state=$work/runc-state
n=0
hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$work/run.json" \
    -n "ctutor run --rm busybox" "$bin run --rm busybox -- /bin/true" \
    -n "ctutor run --rm --rootfs" "$bin run --rm --rootfs $layer -- /bin/true" \
    -n "runc run" "runc --root $state run --bundle $bundle ctutor-bench" >/dev/null

python3 - "$work/run.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
runc = results[2]["mean"]
print("| command | mean ± σ (ms) | / runc |")
print("|---|---|---|")
for r in results:
    print(f"| `{r['command']}` | {r['mean']*1000:.2f} ± {r['stddev']*1000:.2f} | {r['mean']/runc:.2f}× |")
PY
