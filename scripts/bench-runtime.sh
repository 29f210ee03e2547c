#!/usr/bin/env bash
# The OCI runtime's whole life of a container, side by side in one hyperfine run:
# `ctutor runtime run` and `runc run` of the same bundle (busybox as the root, runc's
# own default config.json, /bin/true as the process), each creating, starting,
# waiting for and deleting the container.
#   scripts/bench-runtime.sh            build release, print the table and the ratio
#   RUNS=50 scripts/bench-runtime.sh    NO_BUILD=1 to use the release binary as it is
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench-runtime: needs hyperfine (sudo apt-get install hyperfine)" >&2; exit 1; }
command -v runc >/dev/null || { echo "bench-runtime: needs runc (sudo apt-get install runc)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "bench-runtime: needs busybox-static (sudo apt-get install busybox-static)" >&2; exit 1; }
[ -n "${NO_BUILD:-}" ] || make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
runs=${RUNS:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
ln -s busybox "$bundle/rootfs/bin/true"
rootless=()
[ "$(id -u)" -eq 0 ] || rootless=(--rootless)
(cd "$bundle" && runc spec "${rootless[@]}")
# runc's default, minus what ctutor refuses by name: a terminal (no console socket
# here) and the /sys/fs/cgroup mount.
python3 - "$bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
config["mounts"] = [m for m in config["mounts"] if m.get("type") != "cgroup"]
json.dump(config, open(path, "w"), indent=1)
PY

hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$work/runtime.json" \
    -n "ctutor runtime run" "$bin runtime --root $work/ctutor-state run --bundle $bundle ctutor-bench" \
    -n "runc run" "runc --root $work/runc-state run --bundle $bundle ctutor-bench" >/dev/null

python3 - "$work/runtime.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ours, runc = results[0], results[1]
print(f"{'command':<22}{'mean':>10}{'median':>10}{'stddev':>10}")
for r in results:
    print(f"{r['command']:<22}{r['mean']*1000:>8.1f}ms{r['median']*1000:>8.1f}ms{r['stddev']*1000:>8.1f}ms")
print(f"ctutor runtime run / runc run (median): {ours['median'] / runc['median']:.2f}")
PY
