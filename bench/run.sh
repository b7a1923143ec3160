#!/bin/bash
# run.sh: the same python3-libvirt clients on the system's libvirt and on
# vireo, side by side (only LD_LIBRARY_PATH differs). Writes bench/RESULTS.md.
# Usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
lib=$(cd "$build/src" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

echo "bench: per-call latency (microseconds, lower is better)"
$py "$here/client.py" 2000 >"$tmp/sys-calls.json"
LD_LIBRARY_PATH=$lib $py "$here/client.py" 2000 >"$tmp/our-calls.json"
echo "bench: bulk domain operations (ops/s, higher is better)"
$py "$here/domains.py" 1000 10000 >"$tmp/sys-doms.json"
LD_LIBRARY_PATH=$lib $py "$here/domains.py" 1000 10000 >"$tmp/our-doms.json"

echo "bench: starting real guests (vireo, system libvirt as nobody, bare QEMU)"
"$here/qemu-start.sh" "$build" 3 >"$tmp/qemu.jsonl"
echo "bench: save/restore, bulk stats, snapshots of real guests (both drivers)"
"$here/qemu-ops.sh" "$build" 2 >"$tmp/ops.jsonl"
echo "bench: bulk stats of 1 and 5 real guests (both drivers taking turns)"
$py "$here/qemu-stats.py" "$build" 7 20 >"$tmp/stats.md" 2>"$tmp/stats.jsonl"

{
    echo "# Benchmarks"
    echo
    echo "Run by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -r))."
    echo "Same client scripts, same run; only LD_LIBRARY_PATH differs."
    echo
    $py "$here/report.py" "Latency per call on test:///default (bench/client.py; us, lower is better)" \
        "$tmp/sys-calls.json" "$tmp/our-calls.json"
    $py "$here/report.py" "Bulk operations on test:///default (bench/domains.py; ops/s, higher is better)" \
        "$tmp/sys-doms.json" "$tmp/our-doms.json"
    $py "$here/qemu-report.py" "$tmp/qemu.jsonl"
    $py "$here/qemu-ops-report.py" "$tmp/ops.jsonl"
    cat "$tmp/stats.md"
} >"$here/RESULTS.md"
cat "$here/RESULTS.md"
