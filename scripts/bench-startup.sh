#!/usr/bin/env bash
# Time to the first full frame of the tutor at 80x24 in a pseudo-terminal, next
# to vim opening its tutor file (`vim -u NONE`), in one interleaved run so both
# see the same machine state; with the shipped lessons, 7 lessons and 30. Then
# the peak RSS of a whole TUI session (menu, lesson, demo, quiz, help) beside
# vim's (open the tutor, page down, quit).
#   scripts/bench-startup.sh          build release, print a markdown table
#   RUNS=50 scripts/bench-startup.sh  fewer runs
# "First full frame" is the last byte of the program's first burst of output:
# the script reads the pty until it has been quiet for QUIET_MS, so it measures
# the whole first screen, not the first byte.
set -euo pipefail
cd "$(dirname "$0")/.."

tutor=$(ls /usr/share/vim/vim*/tutor/tutor 2>/dev/null | head -n 1 || true)
command -v vim >/dev/null && [ -n "$tutor" ] || {
    echo "bench-startup: needs vim and its tutor file (apt-get install vim)" >&2
    exit 1
}
make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Lesson folders of N lessons, each a copy of the shipped ones with a unique
# folder number and id, so the loader does the same work per lesson as for real.
make_lessons() { # count, directory
    local count=$1 dir=$2 i=0
    mkdir -p "$dir"
    while [ "$i" -lt "$count" ]; do
        for source in Lessons/[0-9]*/; do
            [ "$i" -lt "$count" ] || break
            i=$((i + 1))
            local name
            name=$(printf '%02d-copy-%d' "$i" "$i")
            cp -r "$source" "$dir/$name"
            sed -i "s/^id: .*/id: copy-$i/" "$dir/$name"/lesson.*.md
        done
    done
}
make_lessons 7 "$work/lessons-7"
make_lessons 30 "$work/lessons-30"
shipped=$(find Lessons -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | wc -l)

python3 - "$bin" "$tutor" "$work" "$shipped" "${RUNS:-100}" "${QUIET_MS:-150}" <<'PY'
import fcntl, os, pty, select, statistics, struct, sys, termios, time

binary, tutor, work, shipped, runs, quiet_ms = sys.argv[1:7]
runs, quiet = int(runs), int(quiet_ms) / 1000

def environment(home, lessons=None):
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "TERM": "xterm-256color",
           "XDG_DATA_HOME": os.path.join(home, "data"), "CTUTOR_LANG": "en"}
    if lessons:
        env["CTUTOR_LESSONS"] = lessons
    return env

def spawn(argv, env):
    """Starts argv on a new 80x24 pty; returns (pid, master fd, start time)."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(argv[0], argv, env)
    return pid, fd, start

def read_until_quiet(fd, marker, deadline=10):
    """Reads until the output has held still for `quiet` after `marker` showed up;
    returns (time of the last byte, all output)."""
    output, last = b"", None
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            if marker in output:
                return last, output
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        last = time.perf_counter()
    raise SystemExit(f"bench-startup: no full frame (looked for {marker!r}); got {output[-400:]!r}")

def finish(pid, fd, keys=b""):
    if keys:
        os.write(fd, keys)
    else:
        os.kill(pid, 15)
    # Keep draining so the program never blocks on a full pty while it exits.
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    os.close(fd)
    return usage.ru_maxrss

home = os.path.join(work, "home")
os.makedirs(home, exist_ok=True)
vim = ("vim", ["/usr/bin/vim", "-u", "NONE", "-R", tutor], environment(home), os.path.basename(tutor).encode())
subjects = [
    (f"ctutor, {shipped} shipped lesson(s)", [binary], environment(home), b"q quit"),
    ("ctutor, 7 lessons", [binary], environment(home, os.path.join(work, "lessons-7")), b"q quit"),
    ("ctutor, 30 lessons", [binary], environment(home, os.path.join(work, "lessons-30")), b"q quit"),
    vim,
]
times = {name: [] for name, *_ in subjects}
for _ in range(3):  # warm the page cache
    for name, argv, env, marker in subjects:
        pid, fd, start = spawn(argv, env)
        read_until_quiet(fd, marker)
        finish(pid, fd)
for _ in range(runs):
    for name, argv, env, marker in subjects:
        pid, fd, start = spawn(argv, env)
        last, _ = read_until_quiet(fd, marker)
        times[name].append((last - start) * 1000)
        finish(pid, fd)

vim_mean = statistics.mean(times["vim"])
print(f"Time to the first full frame at 80x24, {runs} interleaved runs each:\n")
print("| program | mean ± σ (ms) | median (ms) | ÷ vim |")
print("|---|---|---|---|")
for name, *_ in subjects:
    samples = times[name]
    mean = statistics.mean(samples)
    print(f"| {name} | {mean:.2f} ± {statistics.stdev(samples):.2f} | {statistics.median(samples):.2f} | {mean / vim_mean:.2f}× |")

def session(argv, env, marker, steps, quit_keys):
    """Drives a whole session; returns the peak RSS in MB from wait4."""
    pid, fd, _ = spawn(argv, env)
    read_until_quiet(fd, marker)
    for keys, wait_for in steps:
        os.write(fd, keys)
        read_until_quiet(fd, wait_for)
    return finish(pid, fd, quit_keys) / 1024

ctutor_steps = [  # keys, and text the redrawn rows must show (b"": just wait for quiet)
    (b"jjj\r", b"What is a namespace?"),  # the UTS lesson, fourth
    (b"G", b"end of lesson"),           # its end
    (b"d", b"What the engine did"),     # the real demo
    (b"\x1b", b""),                     # back to the lesson
    (b"t", b"Question 1"),              # the quiz
    (b"1", b"Not quite"),
    (b"\x1b", b""),
    (b"?", b"Press any key"),           # help
    (b"x", b""),
    (b"l", b"l English"),                # the other language: Korean, offering English back
]
ctutor_rss = session([binary], environment(home), b"q quit", ctutor_steps, b"qq\x03")
ctutor_rss_30 = session([binary], environment(home, os.path.join(work, "lessons-30")), b"q quit", ctutor_steps, b"qq\x03")
vim_rss = session(vim[1], vim[2], vim[3], [(b"\x06\x06", b"")], b":qa!\r")
print("\nPeak RSS of a session (menu, lesson, demo, quiz, help, language switch; vim: open, page, quit):\n")
print("| program | peak RSS (MB) | ÷ vim |")
print("|---|---|---|")
for name, rss in [(f"ctutor, {shipped} shipped lesson(s)", ctutor_rss), ("ctutor, 30 lessons", ctutor_rss_30), ("vim", vim_rss)]:
    print(f"| {name} | {rss:.1f} | {rss / vim_rss:.2f}× |")
PY
