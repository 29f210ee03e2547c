#!/usr/bin/env bash
# Sets up the optional virtual machine of the `virt` demo (about 70 MB to download):
#   - qemu-system-x86 and busybox-static, installed with apt-get (as root, through
#     sudo otherwise);
#   - a Debian kernel for the VM: the package linux-image-amd64 points to is
#     downloaded (apt-get download) and only its vmlinuz is unpacked (dpkg-deb) into
#     ${XDG_DATA_HOME:-~/.local/share}/ctutor/vm/vmlinuz. The package is never
#     installed: /boot and the boot loader of this computer stay as they are.
# Run it as the learner who will run ctutor: the kernel goes into their data
# directory; only the packages need root.
set -euo pipefail

vm_dir="${XDG_DATA_HOME:-$HOME/.local/share}/ctutor/vm"
as_learner=()
# Under `sudo make vm-deps` the kernel still goes to the learner's own directory
# (where `sudo ctutor` looks too), written by them, so nothing there becomes root's.
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    vm_dir="$(getent passwd "$SUDO_USER" | cut -d: -f6)/.local/share/ctutor/vm"
    as_learner=(sudo -u "$SUDO_USER")
fi
kernel="$vm_dir/vmlinuz"

if [ "$(uname -m)" != x86_64 ]; then
    echo "ctutor: the virt demo's VM is made for x86_64; this computer is $(uname -m)." >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ctutor: this is not a Debian/Ubuntu system. Install qemu-system-x86_64 and busybox (static) with your" >&2
    echo "package manager, and put a Linux kernel image (bzImage) at $kernel." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    as=(sudo DEBIAN_FRONTEND=noninteractive)
else
    as=()
fi
# Wait for another apt (unattended upgrades) rather than fail on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=300)

missing=()
for package in qemu-system-x86 busybox-static; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ ${#as[@]} -eq 0 ]; then
        echo "ctutor: installing ${missing[*]} needs root. Ask an administrator to run:" >&2
        echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    echo "ctutor: installing ${missing[*]}" >&2
    "${as[@]}" "${apt[@]}" update -qq >&2 || true
    "${as[@]}" "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2
fi

if [ -r "$kernel" ]; then
    echo "ctutor: the VM's kernel is already there: $kernel (remove $vm_dir to fetch it again)" >&2
    exit 0
fi

# linux-image-amd64 is a metapackage; the kernel itself is the package it depends on.
package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
if [ -z "$package" ] && [ ${#as[@]} -gt 0 ]; then
    "${as[@]}" "${apt[@]}" update -qq >&2 || true
    package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
fi
if [ -z "$package" ]; then
    echo "ctutor: apt knows no linux-image-amd64 here (Debian's kernel); run 'sudo apt-get update' and try again." >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "ctutor: downloading $package (not installing it)" >&2
# apt's download sandbox user (_apt) cannot write to a private directory; the
# warning that it downloads unsandboxed is expected there.
(cd "$work" && apt-get download "$package" 2>&1 | grep -v 'unsandboxed' >&2 || true)
deb=$(find "$work" -maxdepth 1 -name '*.deb' | head -n 1)
if [ -z "$deb" ]; then
    echo "ctutor: apt-get download $package failed (no network, or no Debian mirror configured?)." >&2
    exit 1
fi
# Only ./boot/vmlinuz-*: the rest of the package (some 400 MB of modules) is not needed.
mkdir -p "$work/root"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/root" --wildcards './boot/vmlinuz-*'
image=$(find "$work/root/boot" -name 'vmlinuz-*' | head -n 1)
if [ -z "$image" ]; then
    echo "ctutor: $package holds no boot/vmlinuz-*." >&2
    exit 1
fi
chmod -R a+rX "$work"
"${as_learner[@]}" mkdir -p "$vm_dir"
"${as_learner[@]}" install -m 0644 "$image" "$kernel.tmp"
"${as_learner[@]}" mv "$kernel.tmp" "$kernel"
echo "ctutor: the VM's kernel is $kernel ($(basename "$image"), from $package); /boot is untouched." >&2
