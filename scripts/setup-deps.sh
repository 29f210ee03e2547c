#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages ctutor needs, if any are missing.
#   scripts/setup-deps.sh run    what `make run` needs
#   scripts/setup-deps.sh test   that, plus what the tests drive and witness with
#                                (tmux, procps, iproute2, strace, perl, cpio)
# Uses apt-get directly as root, through sudo otherwise; when neither works it
# prints the exact command to run and fails.
set -euo pipefail

want=(libncursesw5-dev zlib1g-dev busybox-static util-linux)
if [ "${1:-run}" = test ]; then
    want+=(tmux procps iproute2 strace perl cpio)
fi

missing=()
for package in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ctutor: missing packages: ${missing[*]}" >&2
    echo "ctutor: this is not a Debian/Ubuntu system; install the equivalents (ncursesw and zlib headers, busybox static, tmux) with your package manager." >&2
    exit 1
fi

echo "ctutor: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    as=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as=(sudo DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    echo "ctutor: sudo will ask for your password to install them." >&2
    as=(sudo)
else
    echo "ctutor: cannot install packages without root. Ask an administrator to run:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
# Wait for another apt (unattended upgrades) rather than fail on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=300)
"${as[@]}" "${apt[@]}" update -qq >&2 || true
"${as[@]}" "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2
