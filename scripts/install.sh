#!/bin/sh
# Installs ctutor for every user of a machine, or removes exactly that again.
#
#   scripts/install.sh install   PREFIX [DESTDIR]
#   scripts/install.sh uninstall PREFIX [DESTDIR]
#
# install puts the release ctutor (and ctutor-launcher, which ctutor looks for beside
# itself) in PREFIX/bin, the lessons in PREFIX/share/ctutor/Lessons and the image
# recipes in PREFIX/share/ctutor/Assets/recipes, where the installed binary finds
# them from any directory. Every file it writes, and every folder it had to make, is
# listed in PREFIX/share/ctutor/install-manifest; uninstall removes those and nothing
# else (a folder only when it is empty). DESTDIR stages the tree for a package.
# BIN and LAUNCHER name the binaries to install (default: .build/release/; a
# relative path is from the repository's top).
set -eu
cd "$(dirname "$0")/.."

action=${1:?usage: install.sh install|uninstall PREFIX [DESTDIR]}
prefix=${2:?usage: install.sh install|uninstall PREFIX [DESTDIR]}
destdir=${3:-}
case "$prefix" in
/*) ;;
*) echo "install.sh: PREFIX must be an absolute path (got '$prefix'), e.g. PREFIX=/usr/local" >&2; exit 2 ;;
esac
root="$destdir$prefix"
share="$root/share/ctutor"
manifest="$share/install-manifest"
bin=${BIN:-.build/release/ctutor}
launcher=${LAUNCHER:-.build/release/ctutor-launcher}

# Paths in the manifest are relative to PREFIX: `f path` a file install wrote,
# `d path` a folder it had to make (one that was there before is never listed);
# `p /path` is PREFIX itself or a parent of it that install made (under DESTDIR).
record() { printf '%s\n' "$1" >>"$manifest.new"; }

# Makes a folder and its missing parents under PREFIX, from the top down; prints
# each one it made as a manifest line.
make_dirs() {
    path=""
    for part in $(printf '%s' "$1" | tr '/' ' '); do
        path=${path:+$path/}$part
        if [ ! -d "$root/$path" ]; then
            mkdir -m 755 "$root/$path"
            echo "d $path"
        fi
    done
}

put() { # mode source relative-target
    make_dirs "$(dirname "$3")" >>"$manifest.new"
    install -m "$1" "$2" "$root/$3"
    record "f $3"
}

do_install() {
    [ -x "$bin" ] || { echo "install.sh: no $bin; run make build first" >&2; exit 1; }
    made_prefix=""
    path=""
    for part in $(printf '%s' "$prefix" | tr '/' ' '); do
        path=$path/$part
        if [ ! -d "$destdir$path" ]; then
            mkdir -m 755 "$destdir$path"
            made_prefix="${made_prefix}p $path
"
        fi
    done
    # The manifest lives in share/ctutor, so that folder comes first. A reinstall
    # (an upgrade) first removes the files the last one put, so a lesson since
    # deleted does not linger, and keeps its folders to remove them in the end.
    made=$(make_dirs share/ctutor)
    : >"$manifest.new"
    if [ -f "$manifest" ]; then
        grep '^f ' "$manifest" | cut -c3- | while read -r file; do rm -f "$root/$file"; done
        grep -v '^f ' "$manifest" >>"$manifest.new" || true
    fi
    [ -z "$made" ] || printf '%s\n' "$made" >>"$manifest.new"
    printf '%s' "$made_prefix" >>"$manifest.new"
    put 755 "$bin" bin/ctutor
    if [ -x "$launcher" ]; then put 755 "$launcher" bin/ctutor-launcher; fi
    for tree in Lessons Assets/recipes; do
        find "$tree" -type f | LC_ALL=C sort | while read -r file; do
            put 644 "$file" "share/ctutor/$file"
        done
    done
    LC_ALL=C sort -u "$manifest.new" >"$manifest"
    rm -f "$manifest.new"
    echo "installed ctutor in $prefix/bin and its lessons in $prefix/share/ctutor (make uninstall PREFIX=$prefix removes them)"
}

do_uninstall() {
    [ -f "$manifest" ] || { echo "install.sh: nothing installed in $prefix ($manifest not found)" >&2; exit 1; }
    grep '^f ' "$manifest" | cut -c3- | while read -r file; do rm -f "$root/$file"; done
    folders=$(grep '^d ' "$manifest" | cut -c3- | LC_ALL=C sort -r)
    prefixes=$(grep '^p ' "$manifest" | cut -c3- | LC_ALL=C sort -r)
    rm -f "$manifest"
    # Deepest first (a path sorts after its parent); a folder that holds anything
    # install did not put there stays, with what it holds.
    for folder in $folders; do rmdir "$root/$folder" 2>/dev/null || true; done
    for folder in $prefixes; do rmdir "$destdir$folder" 2>/dev/null || true; done
    echo "removed ctutor from $prefix"
}

case "$action" in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "install.sh: unknown action '$action'; use install or uninstall" >&2; exit 2 ;;
esac
