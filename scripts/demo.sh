#!/bin/bash
# demo.sh: what `make demo` shows: vireo managing a real virtual machine
# (the test guest under QEMU/TCG) with its CLI, the guest's console through
# the libvirt API, and Debian's own bindings on vireo's libvirt.so.0. All
# state lives under a demo root that is removed at the end.
set -euo pipefail
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
lib=$build/src
vireo=$build/tools/vireo/vireo
guest=$build/guest
root=${VIREO_DEMO_ROOT:-/tmp/vireo-demo}
uri="qemu:///embed?root=$root"
export LD_LIBRARY_PATH=$lib

v() { echo "\$ vireo $*"; "$vireo" -c "$uri" "$@"; }

cleanup() {
    "$vireo" -q -c "$uri" destroy demo >/dev/null 2>&1 || true
    "$vireo" -q -c "$uri" undefine demo >/dev/null 2>&1 || true
    rm -rf "$root"
}
trap cleanup EXIT

if ! command -v qemu-system-x86_64 >/dev/null; then
    echo "qemu-system-x86_64 is missing: run 'make deps' (package qemu-system-x86)"
    exit 1
fi
echo "== the test guest: a Debian cloud kernel and a busybox initramfs"
echo "   (built from Debian packages only, cached in $guest)"
"$src/guest/build.sh" "$guest" | tail -n 1
cleanup
mkdir -p "$root"
cat >"$root/demo.xml" <<EOF
<domain type='qemu'>
  <name>demo</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <interface type='user'><model type='virtio'/></interface>
    <memballoon model='virtio'/>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
  </devices>
</domain>
EOF

echo
echo "== define and start a domain on the embedded QEMU driver ($uri)"
v define "$root/demo.xml"
t0=$(date +%s%N)
v start demo
t1=$(date +%s%N)
echo
echo "== the guest's serial console, read through virDomainOpenConsole"
/usr/bin/python3 - "$uri" "$t0" <<'PY'
import libvirt, re, sys, time
libvirt.registerErrorHandler(lambda c, e: None, None)
uri, t0 = sys.argv[1], int(sys.argv[2])
conn = libvirt.open(uri)
dom = conn.lookupByName("demo")
st = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
dom.openConsole(None, st, 0)
buf, marker = b"", None
def read_until(needle, secs):
    global buf
    end = time.time() + secs
    while needle not in buf and time.time() < end:
        try:
            data = st.recv(4096)
        except libvirt.libvirtError:
            break
        if data == -2:
            time.sleep(0.02)
        elif data:
            buf += data
        else:
            break
    return needle in buf
if read_until(b"VIREO-GUEST-READY", 60):
    marker = (time.time_ns() - t0) / 1e6
for line in buf.decode(errors="replace").splitlines():
    if line.startswith("vireo-guest:") or "VIREO-GUEST-READY" in line:
        print("  | " + line.strip())
buf = b""
st.send(b"echo hello from $(hostname), up $(cut -d' ' -f1 /proc/uptime) s\n")
end = time.time() + 10
while time.time() < end and not re.search(rb"\nhello from [^\n]* s\r?\n", buf):
    read_until(b"\x00", 0.2)
out = [l for l in buf.decode(errors="replace").splitlines() if l.startswith("hello")]
print("  | (typed) echo hello ...  ->  " + (out[0].strip() if out else "?"))
st.abort()
conn.close()
if marker is None:
    sys.exit("the guest's marker did not appear")
print("  boot to VIREO-GUEST-READY: %.0f ms after 'vireo start'" % marker)
PY
echo "  'vireo start' returned (QEMU up, QMP negotiated, vCPUs running) in" \
     "$(( (t1 - t0) / 1000000 )) ms"

echo
echo "== list and inspect (each vireo command is a new process: QEMU outlives"
echo "   it and the next one reconnects to its monitor)"
v list --all
v dominfo demo
echo
echo "== suspend and resume"
v suspend demo
v domstate --reason demo
v resume demo
v domstate --reason demo

echo
echo "== Debian's python3-libvirt and Sys::Virt, unchanged, on the same root"
/usr/bin/python3 - "$uri" <<'PY'
import libvirt, sys
libvirt.registerErrorHandler(lambda c, e: None, None)
conn = libvirt.open(sys.argv[1])
names = {libvirt.VIR_DOMAIN_RUNNING: "running", libvirt.VIR_DOMAIN_PAUSED: "paused",
         libvirt.VIR_DOMAIN_SHUTOFF: "shut off"}
for d in conn.listAllDomains():
    state, reason = d.state()
    info = d.info()
    print("  python: %s id=%d %s, %d MiB, cpu time %.2f s, hypervisor %s %d" % (
        d.name(), d.ID(), names.get(state, state), info[1] // 1024,
        info[4] / 1e9, conn.getType(), conn.getVersion()))
conn.close()
PY
perl -MSys::Virt -e '
    my $c = Sys::Virt->new(uri => $ARGV[0]);
    for my $d ($c->list_all_domains()) {
        my $i = $d->get_info();
        printf("  perl:   %s id=%d state=%d vcpus=%d uuid=%s\n", $d->get_name(),
               $d->get_id(), $i->{state}, $i->{nrVirtCpu}, $d->get_uuid_string());
    }' "$uri"

echo
echo "== a clean ACPI shutdown: the guest's acpid powers it off"
v shutdown --wait --timeout 30 demo
v domstate --reason demo
echo
echo "== what is left under the root (removed next)"
(cd "$root" && find . -type f | sort | sed 's/^/  /')
tail -n 2 "$root/log/demo.log" | cut -c1-160 | sed 's/^/  log: /'
v undefine demo
cleanup
trap - EXIT
echo
echo "Done: the demo root $root is removed and no QEMU is left running."
