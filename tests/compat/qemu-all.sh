#!/bin/bash
# qemu-all.sh: every family of the compatibility suites (Debian's Sys::Virt
# or python3-libvirt on our library) against the QEMU driver: the test
# guest (agent initrd) under TCG on a scratch qemu:///embed root, with a
# domain giving each family what it needs (see the XML below).
# Usage: qemu-all.sh BUILD_DIR SOURCE_DIR perl|python [MARKDOWN_OUT]
# TAP on stdout; exit status that of the suite.
set -u
build=$1 src=$2 which=$3 markdown=${4:-}
if ! command -v qemu-system-x86_64 >/dev/null ||
   ! command -v qemu-img >/dev/null; then
    echo "1..0 # SKIP qemu-system-x86_64 or qemu-img is not installed"
    exit 0
fi
# As root the suite runs in a network and mount namespace of its own with a
# bridge there (nothing touches the host's network): the stats and
# parameters families' guests get a tap on it, so interface stats and
# bandwidth are read back from the kernel; sysfs is mounted again so that
# /sys/class/net shows this namespace. Elsewhere their NIC stays user-mode.
# ns KIND PID: the namespace of kind KIND process PID is in ("" unknown).
ns() { readlink "/proc/$2/ns/$1" 2>/dev/null; }
# own_ns: true when this process is in network and mount namespaces its
# parent is not in (it is the unshare below, exec'd), never the host's.
own_ns() {
    local n m pn pm
    n=$(ns net $$) m=$(ns mnt $$)
    pn=$(ns net $PPID) pm=$(ns mnt $PPID)
    [ -n "$n" ] && [ -n "$m" ] && [ -n "$pn" ] && [ -n "$pm" ] &&
        [ "$n" != "$pn" ] && [ "$m" != "$pm" ]
}
if ! own_ns && [ "$(id -u)" = 0 ] && unshare --net --mount true 2>/dev/null; then
    exec unshare --net --mount "$0" "$@"
fi
bridge=
if own_ns; then
    ip link set lo up
    sys=$(mktemp -d /tmp/vireo-compat-sys-XXXXXX)
    if mount -t sysfs sysfs "$sys" &&
       mount --bind "$sys/class/net" /sys/class/net &&
       mount --bind "$sys/devices/virtual/net" /sys/devices/virtual/net &&
       ip link add vireobr0 type bridge && ip link set vireobr0 up; then
        bridge=vireobr0
    fi
    umount -l "$sys" 2>/dev/null
    rmdir "$sys"
fi
if [ -n "$bridge" ]; then
    echo "# network: bridge $bridge in a private namespace"
else
    echo "# network: user-mode NICs only"
fi
guest=$build/guest
if ! "$src/guest/build.sh" "$guest" >"$build/guest-build.log" 2>&1; then
    echo "not ok 1 - guest/build.sh $guest (see $build/guest-build.log)"
    echo "1..1"
    exit 1
fi
root=$(mktemp -d /tmp/vireo-compat-all-XXXXXX)
# QEMUs left behind (a failed family, a killed run) are those whose command
# line names our scratch root; files go with it.
cleanup() {
    local pids
    pids=$(pgrep -f "qemu-system.*$root" 2>/dev/null)
    [ -n "$pids" ] && kill $pids 2>/dev/null
    rm -rf "$root" "$root.xml"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The disks (made by the suite's make_disks for each domain, in @DIR@):
# vda qcow2 over a raw backing file named in the image (snapshots, block
# jobs, pull/commit),
# vdc a raw read-only image (block_peek reads raw bytes; read-only so that
# internal snapshots, which need every writable disk in qcow2, still work).
# The agent channel, plus a second channel open_channel can take (the
# agent's is held by our agent client).
cat >"$root.xml" <<XML
<domain type='qemu'>
  <name>compat</name>
  <memory unit='MiB'>256</memory>
  <currentMemory unit='MiB'>256</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <iothreads>1</iothreads>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd-agent.img</initrd>
    <cmdline>console=ttyS0 panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='@DIR@/@NAME@-disk0.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='@DIR@/@NAME@-raw.img'/>
      <target dev='vdc' bus='virtio'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:c0:4a:01'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <channel type='unix'>
      <source mode='bind'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
    <channel type='unix'>
      <source mode='bind'/>
      <target type='virtio' name='org.vireo.test.0'/>
    </channel>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>
    <video><model type='vga'/></video>
    <memballoon model='virtio'/>
  </devices>
</domain>
XML
export LD_LIBRARY_PATH=$build/src
args=(--uri "qemu:///embed?root=$root/state" --xml "$root.xml" ${VIREO_COMPAT_ARGS:-})
[ -n "$markdown" ] && args+=(--markdown "$markdown")
[ -n "$bridge" ] && args+=(--bridge "$bridge")
start=$(date +%s)
case $which in
    perl) TMPDIR=$root ${VIREO_COMPAT_WRAP:-} perl "$src/tests/compat/sysvirt-domain.pl" "$build/src" "${args[@]}" ;;
    python) TMPDIR=$root /usr/bin/python3 "$src/tests/compat/python-domain.py" "$build/src" "${args[@]}" ;;
    *) echo "usage: $0 BUILD_DIR SOURCE_DIR perl|python [MARKDOWN_OUT]" >&2; exit 2 ;;
esac
rc=$?
echo "# qemu-all $which: $(( $(date +%s) - start ))s"
exit $rc
