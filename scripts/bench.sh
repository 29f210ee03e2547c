#!/usr/bin/env bash
# Side-by-side timing of each namespace demo against util-linux unshare doing the
# same isolation with the same flags and reading back the same evidence, each pair
# in one hyperfine run so both see the same machine state. Run as root for real
# mode; the rootless rows add a user namespace to both tools.
#   scripts/bench.sh             build release, print the tables and ratios
#   RUNS=50 scripts/bench.sh     fewer runs
#   ONLY="uts pid" scripts/bench.sh
# Then, when runc is installed, scripts/bench-run.sh (`ctutor run` beside `runc
# run`), and when vim is, scripts/bench-startup.sh: the first frame and the peak
# RSS of a session, beside vim.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (sudo apt-get install hyperfine)" >&2; exit 1; }
make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${RUNS:-100}
# A demo records its run in the learner's progress (a locked, fsynced save): time it
# with that cost, but into a throwaway data directory, not the runner's own.
export XDG_DATA_HOME=$out/data

hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$out/startup.json" \
    -n "ctutor startup" "$bin demo list" -n "true" "true" >/dev/null

# The unshare side of each pair: the same namespaces, and a shell reading back what
# the demo reports (hostname, PIDs, mounts, links, maps, cgroup, uptime, inodes).
equivalent() { # id -> unshare arguments and command
    case "$1" in
    uts) echo "--uts --pid --fork sh -c 'hostname ctutor-demo; hostname; readlink /proc/self/ns/uts'" ;;
    pid) echo "--pid --fork --mount --mount-proc sh -c 'echo \$\$; ls /proc | grep -c [0-9]; grep NSpid /proc/self/status'" ;;
    ipc) echo "--ipc sh -c 'ipcmk -Q >/dev/null; ipcs -q; readlink /proc/self/ns/ipc'" ;;
    mnt) echo "--mount --propagation private sh -c 'mount -t tmpfs none /mnt; grep \" /mnt \" /proc/self/mountinfo'" ;;
    net) echo "--net sh -c 'ip link; ip link add a type veth peer name b; ip addr add 10.254.0.1/30 dev a; ip link set a up; ip link set b up; ip -o addr'" ;;
    user) echo "--user --map-root-user sh -c 'id -u; cat /proc/self/uid_map; grep CapEff /proc/self/status'" ;;
    cgroup) echo "--cgroup sh -c 'cat /proc/self/cgroup'" ;;
    time) echo "--time --boottime 259200 --monotonic 86400 --fork sh -c 'cat /proc/uptime'" ;;
    namespaces) echo "--uts --ipc --pid --mount --net --cgroup --time --fork sh -c 'ls -l /proc/self/ns'" ;;
    *) return 1 ;;
    esac
}

ids=${ONLY:-$("$bin" demo list | cut -f1)}
for id in $ids; do
    args=$(equivalent "$id") || continue
    if [ "$(id -u)" -eq 0 ]; then
        hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$out/real-$id.json" \
            -n "ctutor $id" "$bin demo $id --json" -n "unshare $id" "unshare $args" >/dev/null
    fi
    case "$args" in --user*) rootless="$args" ;; *) rootless="--user --map-root-user $args" ;; esac
    hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$out/rootless-$id.json" \
        -n "ctutor $id" "$bin demo $id --json --rootless" -n "unshare $id" "unshare $rootless" >/dev/null
done

python3 - "$out" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
def row(path):
    ours, theirs = json.loads(path.read_text())["results"][:2]
    ratio = ours["mean"] / theirs["mean"]
    return f"| {ours['mean']*1000:.2f} ± {ours['stddev']*1000:.2f} | {theirs['mean']*1000:.2f} ± {theirs['stddev']*1000:.2f} | {ratio:.2f}× |"
for mode in ("real", "rootless"):
    files = sorted(root.glob(f"{mode}-*.json"))
    if not files:
        continue
    print(f"\n{mode}:\n")
    print("| demo | ctutor mean ± σ (ms) | unshare mean ± σ (ms) | ctutor / unshare |")
    print("|---|---|---|---|")
    for path in files:
        print(f"| {path.stem.split('-', 1)[1]} " + row(path))
startup = json.loads((root / "startup.json").read_text())["results"][0]
print(f"\nctutor start-up alone (`ctutor demo list`): {startup['mean']*1000:.2f} ± {startup['stddev']*1000:.2f} ms")
PY

# A container's start beside runc's, when runc is installed.
if command -v runc >/dev/null; then
    echo
    scripts/bench-run.sh
fi

# The tutor's own start-up: first frame and session RSS beside vim.
if command -v vim >/dev/null; then
    echo
    scripts/bench-startup.sh
fi
