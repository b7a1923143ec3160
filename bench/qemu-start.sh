#!/bin/bash
# qemu-start.sh: starting a real guest (TCG) three ways, in one run:
# vireo's qemu:///embed, the system libvirt's qemu:///embed (as nobody: it
# refuses to run embedded as root without a libvirt-qemu account), and bare
# QEMU with vireo's argv (the floor). Prints JSON lines: {who, ...}.
# Usage: bench/qemu-start.sh BUILD_DIR [ROUNDS]
set -euo pipefail
build=$(cd "$1" && pwd)
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
"$src/guest/build.sh" "$build/guest" >/dev/null
# a copy every user can read, for the libvirt run as nobody
guest=$(mktemp -d /tmp/vireo-bench-guest-XXXXXX)
cp "$build/guest/vmlinuz" "$build/guest/initrd.img" "$guest/"
cp "$here/start.py" "$guest/start.py"
chmod -R a+rX "$guest"
trap 'rm -rf "$guest"' EXIT
for i in $(seq "$rounds"); do
    root=$(mktemp -d /tmp/vireo-bench-root-XXXXXX)
    echo "{\"who\": \"vireo\", \"r\": $(LD_LIBRARY_PATH=$build/src /usr/bin/python3 "$here/start.py" "$root" "$guest" 5)}"
    echo "{\"who\": \"bare\", \"r\": $(/usr/bin/python3 "$here/bare.py" "$root/log/bench0.log")}"
    rm -rf "$root"
    root=$(mktemp -d /tmp/vireo-bench-root-XXXXXX)
    chown nobody "$root"
    echo "{\"who\": \"libvirt\", \"r\": $(cd /tmp && setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/tmp XDG_RUNTIME_DIR="$root" /usr/bin/python3 "$guest/start.py" "$root" "$guest" 5)}"
    rm -rf "$root"
done
