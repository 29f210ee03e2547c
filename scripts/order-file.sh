#!/usr/bin/env bash
# Writes scripts/ctutor.order, the link order scripts/link-flags.sh hands to lld:
# every function of ctutor that a TUI session runs (menu, a lesson to its end,
# the real demo, a quiz answer, help, the other language), as callgrind saw them.
# Run it after large changes; a stale list still links, it only saves less.
# Needs valgrind and tmux; as root the demo runs for real, as in a lesson.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null && command -v tmux >/dev/null || {
    echo "order-file: needs valgrind and tmux (apt-get install valgrind tmux)" >&2
    exit 1
}
make --no-print-directory build >/dev/null
work=$(mktemp -d)
trap 'tmux -S "$work/tmux.sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
# valgrind cannot read the debug info the Swift toolchain writes; the symbols are enough.
cp .build/release/ctutor "$work/ctutor"
strip --strip-debug "$work/ctutor"

tmux -S "$work/tmux.sock" new-session -d -s main -x 80 -y 24 env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    TERM=tmux-256color HOME="$work" XDG_DATA_HOME="$work/data" CTUTOR_LANG=en CTUTOR_LESSONS="$PWD/Lessons" \
    valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file="$work/callgrind.out" "$work/ctutor"
sleep 8
# Under valgrind each key takes a second or two.
for key in j j j Enter G d Escape t 1 Enter Escape '?' x l q Enter Escape q; do
    tmux -S "$work/tmux.sock" send-keys -t main "$key"
    sleep 2
done
for _ in $(seq 60); do [ -s "$work/callgrind.out" ] && break; sleep 1; done
[ -s "$work/callgrind.out" ] || { echo "order-file: the session did not end" >&2; exit 1; }

python3 - "$work/callgrind.out" "$work/ctutor" > scripts/ctutor.order <<'PY'
import re, subprocess, sys
defined = set()
for line in subprocess.run(["nm", "--defined-only", sys.argv[2]], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        defined.add(parts[2])
order, seen = [], set()
for line in open(sys.argv[1]):
    match = re.match(r"c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
    if match and match.group(1) in defined and match.group(1) not in seen:
        seen.add(match.group(1))
        order.append(match.group(1))
print("\n".join(order))
PY
echo "order-file: $(wc -l < scripts/ctutor.order) functions in scripts/ctutor.order"
# SwiftPM does not see the list change; removing the binary makes it link again.
rm -f .build/release/ctutor
make --no-print-directory build >/dev/null
