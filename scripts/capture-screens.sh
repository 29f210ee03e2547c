#!/usr/bin/env bash
# Captures what a learner sees, from the real release binary in tmux, into
# Assets/screens/: the menu, a lesson page, the demo report, a quiz answer and the
# containers lesson's demo (images built from the recipes on first use),
# in Korean and English, at 80x24 and 120x36. The demo screens show this
# machine's real hostname, namespace inodes and PIDs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "capture: needs tmux" >&2; exit 1; }
make --no-print-directory build >/dev/null
bin=$PWD/.build/release/ctutor
work=$(mktemp -d)
socket=
# tmux -S with a socket in our temp directory: -L would leave it in /tmp/tmux-UID.
trap '[ -z "$socket" ] || tmux -S "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

capture() { # language, columns, rows
    local lang=$1 size=$2x$3
    socket=$work/tmux-$lang-$size.sock
    tmux -S "$socket" new-session -d -s main -x "$2" -y "$3" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
        TERM=tmux-256color CTUTOR_LESSONS="$PWD/Lessons" XDG_DATA_HOME="$work/$lang-$size" "$bin" --lang "$lang"
    shot() { sleep 0.6; tmux -S "$socket" capture-pane -p -t main | sed 's/[[:space:]]*$//' > "Assets/screens/$1-$lang-$size.txt"; }
    shot menu
    # The UTS lesson, fourth in the course.
    tmux -S "$socket" send-keys -t main j j j Enter NPage; shot reader
    tmux -S "$socket" send-keys -t main d; shot demo
    tmux -S "$socket" send-keys -t main Escape t 2; shot quiz
    tmux -S "$socket" kill-server
    # The containers lesson, eighth: its first demo (two apps, two versions of C).
    socket=$work/tmux-$lang-$size-containers.sock
    tmux -S "$socket" new-session -d -s main -x "$2" -y "$3" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
        TERM=tmux-256color CTUTOR_LESSONS="$PWD/Lessons" XDG_DATA_HOME="$work/$lang-$size" "$bin" --lang "$lang"
    sleep 0.6
    tmux -S "$socket" send-keys -t main j j j j j j j Enter
    sleep 0.4
    tmux -S "$socket" send-keys -t main d; sleep 3; shot containers-demo
    tmux -S "$socket" kill-server
    socket=
}

for lang in ko en; do
    capture "$lang" 80 24
    capture "$lang" 120 36
done
ls Assets/screens
