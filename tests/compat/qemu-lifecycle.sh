#!/bin/bash
# qemu-lifecycle.sh: the lifecycle family of the compatibility suites
# (Debian's Sys::Virt and python3-libvirt on our library) against the QEMU
# driver, booting the test guest under TCG on a scratch embed root.
# Usage: qemu-lifecycle.sh BUILD_DIR SOURCE_DIR perl|python
set -u
build=$1 src=$2 which=$3
if ! command -v qemu-system-x86_64 >/dev/null; then
    echo "1..0 # SKIP qemu-system-x86_64 is not installed"
    exit 0
fi
guest=$build/guest
if ! "$src/guest/build.sh" "$guest" >"$build/guest-build.log" 2>&1; then
    echo "not ok 1 - guest/build.sh $guest (see $build/guest-build.log)"
    echo "1..1"
    exit 1
fi
root=$(mktemp -d /tmp/vireo-compat-XXXXXX)
trap 'pkill -f "qemu-system.*$root" 2>/dev/null; rm -rf "$root"' EXIT
cat >"$root.xml" <<XML
<domain type='qemu'>
  <name>compat</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd-agent.img</initrd>
    <cmdline>console=ttyS0 panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <channel type='unix'>
      <source mode='bind'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
  </devices>
</domain>
XML
trap 'pkill -f "qemu-system.*$root" 2>/dev/null; rm -rf "$root" "$root.xml"' EXIT
export LD_LIBRARY_PATH=$build/src
args=(--uri "qemu:///embed?root=$root/state" --xml "$root.xml" --lifecycle)
case $which in
    perl) perl "$src/tests/compat/sysvirt-domain.pl" "$build/src" "${args[@]}" ;;
    python) /usr/bin/python3 "$src/tests/compat/python-domain.py" "$build/src" "${args[@]}" ;;
esac
