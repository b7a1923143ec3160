#!/bin/bash
# deps.sh: install the Debian packages vireo's build, tests and demo need.
# A fast no-op when they are all present.
set -euo pipefail
pkgs=(
    meson ninja-build pkg-config gcc g++ binutils make
    libxml2-dev libjson-c-dev libpng-dev iproute2 openssl
    libsys-virt-perl python3-libvirt valgrind
    qemu-system-x86 qemu-utils busybox-static cpio
)
missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$p")
    fi
done
# the test guest is built from packages fetched with `apt-get download`:
# apt must know the cloud kernel even when nothing needs installing
known=1
apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || known=0
[ ${#missing[@]} -eq 0 ] && [ $known = 1 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
