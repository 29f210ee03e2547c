#!/usr/bin/env bash
# A container's whole life through every Docker role, end to end, beside ctutor's own
# `run`, in one hyperfine run: the real docker CLI's `docker run --rm busybox true`
# against `ctutor daemon` (create, attach, wait, start → shim → runtime → container,
# output, exit, removal) and `ctutor run --rm busybox -- true`.
#   scripts/bench-docker.sh            build release, print the table
#   RUNS=50 scripts/bench-docker.sh    NO_BUILD=1 to use the release binary as it is
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "bench-docker: needs hyperfine (sudo apt-get install hyperfine)" >&2; exit 1; }
docker=$(command -v docker) || { echo "bench-docker: needs the docker CLI (sudo apt-get install docker.io)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "bench-docker: needs root (ctutor daemon mounts each container's overlay snapshot)" >&2; exit 1; }
[ -n "${NO_BUILD:-}" ] || make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
runs=${RUNS:-100}
# Short: a shim socket, ROOT/rt/<64-hex id>/shim.sock, must fit in 107 bytes.
work=$(mktemp -d /tmp/ctb.XXXXXX)
"$bin" daemon --socket "$work/d.sock" --root "$work/root" >"$work/daemon.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -S "$work/d.sock" ] && break; sleep 0.05; done
export DOCKER_HOST=unix://$work/d.sock DOCKER_CONFIG=$work/docker-config
"$docker" pull busybox >/dev/null

hyperfine --style none --warmup 5 --runs "$runs" -N --export-json "$work/docker.json" \
    -n "docker run --rm (ctutor daemon)" "$docker run --rm busybox true" \
    -n "ctutor run --rm" "$bin run --rm busybox -- true" >/dev/null

python3 - "$work/docker.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<34}{'mean':>10}{'median':>10}{'stddev':>10}")
for r in results:
    print(f"{r['command']:<34}{r['mean']*1000:>8.1f}ms{r['median']*1000:>8.1f}ms{r['stddev']*1000:>8.1f}ms")
print(f"docker run through the chain / ctutor run (median): {results[0]['median'] / results[1]['median']:.2f}")
PY
