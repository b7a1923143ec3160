#!/usr/bin/python3
# qemu-stats.py: bulk stats (getAllDomainStats, domainListGetStats) of 1 and
# 5 running TCG guests, vireo and the system libvirt side by side: both keep
# their guests running in a worker process and take turns, call batch by
# call batch, so that the machine's load hits both alike. Writes one JSON
# line per batch to stderr and a RESULTS.md section (medians, ms per call)
# to stdout.
# Usage: bench/qemu-stats.py BUILD_DIR [ROUNDS [CALLS]]   (as root)
#        qemu-stats.py --worker ROOT GUESTDIR   (started by the above)
# Guest 0 has a qcow2 disk (like bench/qemu-ops.py's), the others none.
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))


def load_ops(guest):
    """bench/qemu-ops.py as a module (its guest XML and console helper)."""
    spec = importlib.util.spec_from_file_location(
        "qemu_ops", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "qemu-ops.py"))
    ops = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ops)
    ops.guest = guest
    return ops


def worker(root, guest):
    """Serve commands read from stdin, one JSON reply line each:
    boot N | all CALLS | list CALLS | quit."""
    import libvirt
    ops = load_ops(guest)
    libvirt.registerErrorHandler(lambda c, e: None, None)
    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=loop, daemon=True).start()
    conn = libvirt.open("qemu:///embed?root=%s" % root)
    disk = os.path.join(root, "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"],
                   check=True)
    doms = []

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def timed(fn, calls):
        recs = fn()  # warm-up, and the key counts
        t0 = time.monotonic()
        for _ in range(calls):
            fn()
        ms = (time.monotonic() - t0) * 1000 / calls
        return {"ms": round(ms, 3), "domains": len(recs),
                "keys": sorted(len(r[1]) for r in recs)}
    try:
        for line in sys.stdin:
            cmd = line.split()
            if cmd[0] == "boot":
                ok = True
                while len(doms) < int(cmd[1]):
                    i = len(doms)
                    if i == 0:
                        doms.append(conn.defineXML(ops.xml(0, disk)))
                        doms[0].create()
                    else:
                        doms.append(conn.createXML(ops.xml(i), 0))
                    ok = ops.console(conn, doms[-1], None, ops.MARKER,
                                     180) and ok
                reply({"booted": ok, "guests": len(doms)})
            elif cmd[0] == "all":
                reply(timed(lambda: conn.getAllDomainStats(0, 0),
                            int(cmd[1])))
            elif cmd[0] == "list":
                reply(timed(lambda: conn.domainListGetStats(doms, 0),
                            int(cmd[1])))
            else:
                break
    finally:
        for d in doms:
            try:
                d.destroy()
            except libvirt.libvirtError:
                pass
        if doms:
            doms[0].undefine()
        conn.close()


class Side:
    """One worker process: vireo's library or the system libvirt's."""

    def __init__(self, who, argv, env):
        self.who = who
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True,
                                     cwd="/tmp")

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        out = self.proc.stdout.readline()
        if not out:
            raise RuntimeError("%s worker died on '%s'" % (self.who, line))
        return json.loads(out)

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait(60)


def drop_root(root):
    """End QEMUs a dead worker left under ROOT, then remove it."""
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".pid"):
                continue
            try:
                pid = int(open(os.path.join(dirpath, f)).read().split()[0])
                if open("/proc/%d/comm" % pid).read().strip() == \
                        "qemu-system-x86":
                    os.kill(pid, 9)
            except (OSError, ValueError, IndexError):
                pass
    shutil.rmtree(root, ignore_errors=True)


def coordinator(build, rounds, calls):
    build = os.path.abspath(build)
    subprocess.run([os.path.join(os.path.dirname(HERE), "guest", "build.sh"),
                    os.path.join(build, "guest")], check=True,
                   stdout=subprocess.DEVNULL)
    # copies every user can read, for the libvirt run as nobody
    guest = tempfile.mkdtemp(prefix="vireo-stats-guest-")
    roots = [tempfile.mkdtemp(prefix="vireo-stats-root-") for _ in range(2)]
    for f in ("vmlinuz", "initrd.img"):
        shutil.copy(os.path.join(build, "guest", f), guest)
    for f in ("qemu-ops.py", "qemu-stats.py"):
        shutil.copy(os.path.join(HERE, f), guest)
    for d in [guest] + roots:
        os.chmod(d, 0o755)
    shutil.chown(roots[1], "nobody")
    me = os.path.join(guest, "qemu-stats.py")
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(build, "src"))
    sides = []
    rows = {}
    load0 = open("/proc/loadavg").read().split()[0]
    try:
        sides.append(Side("vireo", [PY, me, "--worker", roots[0], guest],
                          env))
        sides.append(Side("libvirt", [
            "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "env", "HOME=/tmp", "XDG_RUNTIME_DIR=" + roots[1],
            PY, me, "--worker", roots[1], guest], None))
        for n in (1, 5):
            for s in sides:
                r = s.ask("boot %d" % n)
                if not r["booted"]:
                    raise RuntimeError("%s: a guest did not boot" % s.who)
            for what in ("all", "list"):
                for i in range(rounds):
                    # alternate who goes first
                    for s in (sides if i % 2 == 0 else sides[::-1]):
                        r = s.ask("%s %d" % (what, calls))
                        r.update(who=s.who, guests=n, api=what, round=i,
                                 load=os.getloadavg()[0])
                        print(json.dumps(r), file=sys.stderr, flush=True)
                        rows.setdefault((n, what, s.who), []).append(r)
    finally:
        for s in sides:
            s.close()
        for r in roots:
            drop_root(r)
        shutil.rmtree(guest, ignore_errors=True)
    report(rows, rounds, calls, load0)


def report(rows, rounds, calls, load0):
    print("### Bulk stats of running TCG guests on qemu:///embed, both "
          "drivers taking turns (bench/qemu-stats.py; median of %d batches "
          "of %d calls; ms per call, lower is better)\n" % (rounds, calls))
    print("| guests | call | vireo | libvirt 9.0 | vireo / libvirt | "
          "keys per guest, vireo / libvirt |")
    print("|---:|---|---:|---:|---:|---|")
    for n in (1, 5):
        for what in ("all", "list"):
            v = rows[(n, what, "vireo")]
            lv = rows[(n, what, "libvirt")]
            mv = statistics.median(r["ms"] for r in v)
            ml = statistics.median(r["ms"] for r in lv)
            print("| %d | %s | %.2f | %.2f | %.2fx | %s / %s |" % (
                n, "getAllDomainStats(0, 0)" if what == "all"
                else "domainListGetStats(all, 0)", mv, ml, mv / ml,
                " ".join(map(str, v[-1]["keys"])),
                " ".join(map(str, lv[-1]["keys"]))))
    print("\nGuest 0 has a qcow2 disk, the others none; all have 1 vCPU and "
          "no balloon. Load average %s at the start, %s at the end "
          "(%d cores).\n" % (load0, open("/proc/loadavg").read().split()[0],
                              os.cpu_count()))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        coordinator(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2
                    else 9, int(sys.argv[3]) if len(sys.argv) > 3 else 20)
