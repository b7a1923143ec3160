#!/bin/bash
# report.sh: the compatibility report (make compat-report). Runs the Perl
# (Sys::Virt) and Python (python3-libvirt) suites on test:///default and on
# qemu:///embed (qemu-all.sh: the test guest under TCG) and writes one
# Markdown page: per method, its C function and the result on each driver
# with the reason for every skip or failure, and the totals.
# Usage: report.sh BUILD_DIR SOURCE_DIR OUT.md
# Exit status: 0 if the page was written (failures are in the page).
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 BUILD_DIR SOURCE_DIR OUT.md" >&2
    exit 2
fi
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) out=$3
compat=$src/tests/compat
work=$(mktemp -d /tmp/vireo-compat-report-XXXXXX)
trap 'rm -rf "$work"' EXIT
export LD_LIBRARY_PATH=$build/src

run() {     # NAME COMMAND...: TAP in $work/NAME.tap, one line of progress
    local name=$1 t0=$(date +%s)
    shift
    "$@" >"$work/$name.tap" 2>&1
    echo "compat-report: $name: $(grep '^# methods' "$work/$name.tap" | head -1 |
        sed 's/^# //') ($(( $(date +%s) - t0 ))s)" >&2
}

run perl-test perl "$compat/sysvirt-domain.pl" "$build/src" --markdown "$work/perl-test.md"
run python-test /usr/bin/python3 "$compat/python-domain.py" "$build/src" \
    --markdown "$work/python-test.md"
run perl-qemu "$compat/qemu-all.sh" "$build" "$src" perl "$work/perl-qemu.md"
run python-qemu "$compat/qemu-all.sh" "$build" "$src" python "$work/python-qemu.md"

commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -1 | sed 's/^QEMU emulator version //')
note="commit $commit, $(date -u +%Y-%m-%d), QEMU ${qemu:-not installed}"
mkdir -p "$(dirname "$out")"
/usr/bin/python3 "$compat/lib/compat_report.py" "$out" "$note" \
    "$work/perl-test.md" "$work/perl-qemu.md" "$work/python-test.md" "$work/python-qemu.md" ||
    exit 1
echo "compat-report: wrote $out" >&2
