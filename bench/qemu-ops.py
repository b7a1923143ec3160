#!/usr/bin/python3
# qemu-ops.py: time the heavy QEMU-driver operations through python3-libvirt
# on qemu:///embed: save and restore of a 256 MiB TCG guest whose memory is
# mostly dirtied (so the image is close to the guest's size), bulk stats for
# 5 running guests, internal snapshot create and revert. The same script runs
# on vireo and on the system libvirt (only LD_LIBRARY_PATH differs). A call
# that fails records its error string instead of a number.
# Usage: qemu-ops.py ROOT GUESTDIR SAVEDIR [FILL_MIB]  (prints one JSON line)
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

import libvirt

MARKER = b"VIREO-GUEST-READY"
MB = 1e6
STATS_CALLS = 20
GUESTS = 5
if __name__ == "__main__":
    root, guest, savedir = sys.argv[1], sys.argv[2], sys.argv[3]
    # guest memory dirtied before the save, in MiB: /tmp (tmpfs) and / (the
    # initramfs) each hold at most half of the guest's RAM
    fill_mib = int(sys.argv[4]) if len(sys.argv) > 4 else 160

XML = """<domain type='qemu'>
  <name>opsbench%d</name>
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
    %s
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>"""
DISK = """<disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
    </disk>"""


def xml(i, disk=None):
    return XML % (i, guest, guest, DISK % disk if disk else "")


def console(conn, dom, send, want, deadline):
    """Open DOM's console, write SEND (if any), read until WANT shows up;
    True when it did before DEADLINE seconds."""
    st = conn.newStream(0)
    dom.openConsole(None, st, 0)
    if send:
        st.send(send)
    seen = b""
    end = time.monotonic() + deadline
    try:
        while want not in seen and time.monotonic() < end:
            data = st.recv(4096)
            if isinstance(data, int) or not data:
                break
            seen = (seen + data)[-4096:]
    finally:
        st.abort()
    return want in seen


def fill_memory(conn, dom):
    # non-zero pages (QEMU skips zero pages in its migration stream), made
    # from one 4 MiB block copied with cat (a pipe of yes is ~1 MB/s under
    # TCG); the echo's quoting keeps the marker out of the input's echo
    tmp = min(fill_mib, 100) // 4
    cmd = ("cd /tmp; yes vireo-bench | head -c 1048576 > c1; "
           "cat c1 c1 c1 c1 > c4; rm c1; i=0; "
           "while [ $i -lt %d ]; do cat c4; i=$((i+1)); done > /tmp/fill; "
           "while [ $i -lt %d ]; do cat c4; i=$((i+1)); done > /fill; "
           "rm c4; cd /; echo FILL''DONE\n" % (tmp, fill_mib // 4))
    # the shell may still be starting right after the marker
    time.sleep(1)
    return console(conn, dom, cmd.encode(), b"FILLDONE", 300)


T0 = time.monotonic()


def log(msg):
    sys.stderr.write("qemu-ops: %6.1fs %s\n" % (time.monotonic() - T0, msg))


def err(e):
    return "error: %s" % (e.get_error_message()
                          if isinstance(e, libvirt.libvirtError) else e)


def timed(out, key, fn):
    """Run FN, store its seconds under KEY (or the error); FN's result."""
    t0 = time.monotonic()
    try:
        res = fn()
    except Exception as e:  # noqa: BLE001 - recorded, the run goes on
        out[key] = err(e)
        return None
    out[key] = round(time.monotonic() - t0, 3)
    return res


def drop_file_cache(path):
    """Flush PATH to the disk and drop it from the page cache (works as any
    user who can read it), so that the restore reads from the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        t0 = time.monotonic()
        os.fdatasync(fd)
        synced = time.monotonic() - t0
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return synced


def save_restore(conn, dom, out):
    path = os.path.join(savedir, "ops-%d.save" % os.getpid())
    try:
        timed(out, "save_s", lambda: dom.save(path))
        if isinstance(out["save_s"], str):
            return dom
        size = os.path.getsize(path)
        out["save_bytes"] = size
        out["save_mbps"] = round(size / MB / out["save_s"], 1)
        # the save returns with the image in the page cache (neither side
        # syncs it): the extra time to make it durable, for the disk speed
        sync_s = drop_file_cache(path)
        out["save_sync_s"] = round(out["save_s"] + sync_s, 3)
        out["save_sync_mbps"] = round(size / MB / out["save_sync_s"], 1)
        timed(out, "restore_s", lambda: conn.restore(path))
        if not isinstance(out["restore_s"], str):
            out["restore_mbps"] = round(size / MB / out["restore_s"], 1)
        dom = conn.lookupByName(dom.name())
        out["running_after_restore"] = \
            dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return dom


def snapshot(dom, out):
    snap = timed(out, "snapshot_create_s", lambda: dom.snapshotCreateXML(
        "<domainsnapshot><name>s1</name></domainsnapshot>", 0))
    if snap is None:
        return
    timed(out, "snapshot_revert_s", lambda: dom.revertToSnapshot(snap, 0))
    out["running_after_revert"] = dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING


def bulk_stats(conn, out):
    recs = conn.getAllDomainStats(0, 0)  # warm-up, and the key counts
    out["stats_domains"] = len(recs)
    out["stats_keys_per_domain"] = sorted(len(r[1]) for r in recs)
    out["stats_keys_of_disk_guest"] = sorted(
        max((r[1] for r in recs), key=len)) if recs else []
    t0 = time.monotonic()
    n = 0
    for _ in range(STATS_CALLS):
        n += len(conn.getAllDomainStats(0, 0))
    secs = time.monotonic() - t0
    out["stats_ms_per_call"] = round(secs * 1000 / STATS_CALLS, 2)
    out["stats_domains_per_s"] = round(n / secs, 1)


def run_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


def main():
    libvirt.registerErrorHandler(lambda c, e: None, None)
    # libvirt's embedded driver requires a running event loop (the console
    # streams too); vireo does not, but both get one for the same client
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=run_loop, daemon=True).start()
    conn = libvirt.open("qemu:///embed?root=%s" % root)
    out = {"library": sorted({l.split()[-1] for l in open("/proc/self/maps")
                              if "/libvirt.so" in l}),
           "guest_mib": 256, "fill_mib": fill_mib, "loadavg_start":
           os.getloadavg()[0]}
    work = tempfile.mkdtemp(prefix="ops-", dir=savedir)
    disk = os.path.join(work, "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"],
                   check=True)
    doms = []
    try:
        dom = conn.defineXML(xml(0, disk))
        doms.append(dom)
        dom.create()
        out["booted"] = console(conn, dom, None, MARKER, 120)
        log("guest 0 booted")
        out["filled"] = fill_memory(conn, dom)
        log("guest memory filled")
        try:
            dom = save_restore(conn, dom, out)
        except libvirt.libvirtError as e:
            out["save_restore_error"] = err(e)
        doms[0] = dom
        log("saved and restored")
        if dom.isActive():
            snapshot(dom, out)
        log("snapshot created and reverted")
        # one at a time: a console shows only what is printed after it is
        # opened, so each guest's marker is awaited right after its start
        booted = True
        for i in range(1, GUESTS):
            doms.append(conn.createXML(xml(i), 0))
            booted = console(conn, doms[-1], None, MARKER, 180) and booted
            log("guest %d booted" % i)
        out["others_booted"] = booted
        out["loadavg_stats"] = os.getloadavg()[0]
        try:
            bulk_stats(conn, out)
        except libvirt.libvirtError as e:
            out["stats_domains_per_s"] = err(e)
        log("bulk stats done")
    finally:
        for d in doms:
            try:
                if d.isActive():
                    d.destroy()
            except libvirt.libvirtError:
                pass
        try:
            doms[0].undefineFlags(
                libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
        except (libvirt.libvirtError, IndexError) as e:
            out["undefine_error"] = err(e)
        conn.close()
        os.unlink(disk)
        os.rmdir(work)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
