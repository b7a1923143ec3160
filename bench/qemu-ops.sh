#!/bin/bash
# qemu-ops.sh: save/restore, bulk stats and snapshots of real guests (TCG)
# on vireo's qemu:///embed and the system libvirt's (as nobody: it refuses
# to run embedded as root), in one run, next to the disk's own sequential
# speed measured with dd on the filesystem that holds the save images.
# Prints JSON lines: {"who": "disk"|"vireo"|"libvirt", "round": N, "r": {...}}.
# Usage: bench/qemu-ops.sh BUILD_DIR [ROUNDS]
#   VIREO_BENCH_SAVEDIR: a directory on the disk to measure (default
#   /var/tmp, which is disk-backed where /tmp may be a tmpfs)
set -euo pipefail
build=$(cd "$1" && pwd)
rounds=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
py=/usr/bin/python3
"$src/guest/build.sh" "$build/guest" >/dev/null
# copies every user can read, for the libvirt run as nobody
guest=$(mktemp -d /tmp/vireo-ops-guest-XXXXXX)
save=$(mktemp -d "${VIREO_BENCH_SAVEDIR:-/var/tmp}/vireo-ops-save-XXXXXX")
root=
# End the QEMU processes a client that died left under $root (an embedded
# driver does not outlive its client, its guests do), then remove $root.
drop_root() {
    if [ -n "$root" ] && [ -d "$root" ]; then
        find "$root" -name '*.pid' -type f -exec cat {} + 2>/dev/null |
            while read -r pid; do
                # a stale pid file may name a pid reused since
                [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ] &&
                    kill "$pid" 2>/dev/null || true
            done
        rm -rf "$root"
    fi
    root=
}
cleanup() {
    drop_root
    rm -rf "$guest" "$save"
}
trap cleanup EXIT
cp "$build/guest/vmlinuz" "$build/guest/initrd.img" "$here/qemu-ops.py" \
    "$guest/"
chmod -R a+rX "$guest"
chmod 1777 "$save"

now() { date +%s.%N; }
# MB/s (10^6 bytes) of BYTES moved between two now() stamps
rate() { awk -v b="$1" -v t0="$2" -v t1="$3" \
    'BEGIN { printf "%.1f", b / 1e6 / (t1 - t0) }'; }

# The disk's own sequential speed, 256 MiB in 1 MiB blocks: a write made
# durable (fdatasync before dd exits; both drivers fsync their save image),
# a write left in the page cache, and a read with the page cache dropped
# (the restore reads its image cold too: qemu-ops.py drops it from the
# cache after the save).
disk() {
    local f=$save/dd.img bytes=$((256 << 20)) t0 t1 ws wc rc
    t0=$(now); dd if=/dev/zero of="$f" bs=1M count=256 conv=fdatasync \
        status=none; t1=$(now); ws=$(rate $bytes "$t0" "$t1")
    rm -f "$f"; sync
    t0=$(now); dd if=/dev/zero of="$f" bs=1M count=256 status=none
    t1=$(now); wc=$(rate $bytes "$t0" "$t1")
    sync; echo 3 >/proc/sys/vm/drop_caches
    t0=$(now); dd if="$f" of=/dev/null bs=1M status=none; t1=$(now)
    rc=$(rate $bytes "$t0" "$t1")
    rm -f "$f"
    echo "{\"write_sync_mbps\": $ws, \"write_cached_mbps\": $wc," \
        "\"read_cold_mbps\": $rc}"
}

# the machine's load when a round starts: other engineers' guests count
load() {
    echo "{\"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"," \
        "\"qemu_processes\": $(pgrep -c -x qemu-system-x86 || true)," \
        "\"cores\": $(nproc), \"savedir\": \"$save\"," \
        "\"fs\": \"$(df --output=source,fstype "$save" | tail -1 | xargs)\"}"
}

for i in $(seq "$rounds"); do
    echo "{\"who\": \"env\", \"round\": $i, \"r\": $(load)}"
    echo "{\"who\": \"disk\", \"round\": $i, \"r\": $(disk)}"
    root=$(mktemp -d /tmp/vireo-ops-root-XXXXXX)
    echo "{\"who\": \"vireo\", \"round\": $i, \"r\": $(LD_LIBRARY_PATH=$build/src \
        $py "$guest/qemu-ops.py" "$root" "$guest" "$save")}"
    drop_root
    root=$(mktemp -d /tmp/vireo-ops-root-XXXXXX)
    chown nobody "$root"
    echo "{\"who\": \"libvirt\", \"round\": $i, \"r\": $(cd /tmp && \
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env HOME=/tmp XDG_RUNTIME_DIR="$root" \
        $py "$guest/qemu-ops.py" "$root" "$guest" "$save")}"
    drop_root
    # the disk's speed drifts (the host caches it): a second sample after
    # each round, so the report can show the spread
    echo "{\"who\": \"disk\", \"round\": $i, \"r\": $(disk)}"
done
