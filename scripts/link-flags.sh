#!/usr/bin/env bash
# Prints the extra `swift build` flags for the release binary's link, or nothing
# where the toolchain cannot do it (the build then links as usual):
#   - lld lays out together the functions a session runs (scripts/ctutor.order,
#     made by scripts/order-file.sh), so the pages the tutor touches are few and
#     adjacent and the kernel's fault-around maps little else;
#   - with glibc 2.36 or newer, relative relocations are packed (DT_RELR): the
#     loader reads ~15 KB instead of 1.8 MB of them at every start (such a
#     binary then needs glibc 2.36+ wherever it is copied).
# Together: a session's peak RSS from ~21 to ~15 MB (scripts/bench-startup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
swift=$(command -v "${SWIFT:-swift}" || true)
[ -n "$swift" ] || exit 0
toolchain=$(dirname "$(readlink -f "$swift")")
[ -x "$toolchain/ld.lld" ] || command -v ld.lld >/dev/null || exit 0
flags="-Xswiftc -use-ld=lld"
if [ -s scripts/ctutor.order ]; then
    flags="$flags -Xlinker --symbol-ordering-file=$PWD/scripts/ctutor.order -Xlinker --no-warn-symbol-ordering"
fi
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -n "$glibc" ] && [ "$(printf '%s\n2.36\n' "$glibc" | sort -V | head -n 1)" = "2.36" ]; then
    flags="$flags -Xlinker -z -Xlinker pack-relative-relocs"
fi
echo "$flags"
