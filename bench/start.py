#!/usr/bin/python3
# start.py: start guests through python3-libvirt on qemu:///embed and time
# create() -> RUNNING and -> the guest's marker line on its console; report
# the managing process's RSS with 1 and N guests running. The same script runs
# on vireo and on the system libvirt (only LD_LIBRARY_PATH differs).
# Usage: start.py ROOT GUESTDIR [N]   (prints one JSON line)
import json
import sys
import threading
import time

import libvirt

MARKER = b"VIREO-GUEST-READY"
root, guest = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 5

XML = """<domain type='qemu'>
  <name>bench%d</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel>
    <initrd>%s/initrd.img</initrd>
    <cmdline>console=ttyS0 panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>"""


def rss_kib():
    with open("/proc/self/status") as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_marker(conn, dom, deadline=60):
    st = conn.newStream(0)
    dom.openConsole(None, st, 0)
    seen = b""
    end = time.monotonic() + deadline
    while MARKER not in seen and time.monotonic() < end:
        data = st.recv(4096)
        if isinstance(data, int) or not data:
            break
        seen = (seen + data)[-4096:]
    st.abort()
    return MARKER in seen


def run_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


libvirt.registerErrorHandler(lambda c, e: None, None)
# libvirt's embedded driver requires a running event loop; vireo does not,
# but both get one so that the client is the same
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=run_loop, daemon=True).start()
conn = libvirt.open("qemu:///embed?root=%s" % root)
out = {"library": sorted({l.split()[-1] for l in open("/proc/self/maps")
                          if "/libvirt.so" in l}),
       "rss_idle_kib": rss_kib()}
doms = []
try:
    t0 = time.monotonic()
    dom = conn.createXML(XML % (0, guest, guest), 0)
    while dom.state()[0] != libvirt.VIR_DOMAIN_RUNNING:
        time.sleep(0.001)
    out["start_to_running_ms"] = round((time.monotonic() - t0) * 1000, 1)
    ok = wait_marker(conn, dom)
    out["start_to_marker_ms"] = round((time.monotonic() - t0) * 1000, 1) \
        if ok else None
    doms.append(dom)
    out["rss_1_guest_kib"] = rss_kib()
    for i in range(1, count):
        doms.append(conn.createXML(XML % (i, guest, guest), 0))
    out["rss_%d_guests_kib" % count] = rss_kib()
finally:
    for d in doms:
        try:
            d.destroy()
        except libvirt.libvirtError:
            pass
    conn.close()
print(json.dumps(out))
