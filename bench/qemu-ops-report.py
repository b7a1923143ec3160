#!/usr/bin/python3
# qemu-ops-report.py: medians of bench/qemu-ops.sh's JSON lines as Markdown:
# vireo against the system libvirt, save/restore against the disk's own
# dd speed, the load each round ran under, and any call that failed.
# Usage: qemu-ops-report.py FILE
import json
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    try:
        rec = json.loads(line)
    except ValueError:  # a client that died prints nothing after "r":
        continue
    runs.setdefault(rec["who"], []).append(rec["r"])


def med(who, key):
    """Median of KEY over WHO's rounds, or the first error string."""
    vals = [r.get(key) for r in runs.get(who, [])]
    errs = [v for v in vals if isinstance(v, str)]
    nums = [v for v in vals if isinstance(v, (int, float))
            and not isinstance(v, bool)]
    if nums:
        return statistics.median(nums)
    return errs[0] if errs else None


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def fmt(v, digits):
    if v is None:
        return "-"
    if not num(v):
        return "`%s`" % v
    return "%.*f" % (digits, v)


def pct(v, disk):
    return "%.0f%%" % (100 * v / disk) if num(v) and num(disk) and disk \
        else "-"


def spread(key):
    """'min-max over N runs' of the disk's KEY."""
    vals = [r[key] for r in runs.get("disk", []) if num(r.get(key))]
    if len(vals) < 2:
        return ""
    return " (%.0f-%.0f over %d runs)" % (min(vals), max(vals), len(vals))


def extra(who):
    vals = [r["save_sync_s"] - r["save_s"] for r in runs.get(who, [])
            if num(r.get("save_sync_s")) and num(r.get("save_s"))]
    return "%.3f" % statistics.median(vals) if vals else "-"


disk_ws = med("disk", "write_sync_mbps")
disk_rc = med("disk", "read_cold_mbps")
mb = 1e6
rows = [
    # name, key, digits, disk speed it is compared with
    ("save: seconds (lower is better)", "save_s", 3, None),
    ("save: MB/s, image durable (higher is better)", "save_sync_mbps", 1,
     disk_ws),
    ("save: MB/s, when save() returned", "save_mbps", 1, disk_ws),
    ("save image size (MB)", "save_mb", 1, None),
    ("restore: seconds, image not cached (lower is better)", "restore_s", 3,
     None),
    ("restore: MB/s (higher is better)", "restore_mbps", 1, disk_rc),
    ("bulk stats, 5 guests: domains/s (higher is better)",
     "stats_domains_per_s", 1, None),
    ("bulk stats: ms per getAllDomainStats() (lower is better)",
     "stats_ms_per_call", 2, None),
    ("bulk stats: keys per guest (diskless / with disk)", "stats_keys", 0,
     None),
    ("snapshot create, running guest (s, lower is better)",
     "snapshot_create_s", 3, None),
    ("snapshot revert, running guest (s, lower is better)",
     "snapshot_revert_s", 3, None),
]
for who in ("vireo", "libvirt"):
    for r in runs.get(who, []):
        if num(r.get("save_bytes")):
            r["save_mb"] = r["save_bytes"] / mb

nrounds = len(runs.get("vireo", []))
print("### Save/restore, bulk stats, snapshots of real guests (TCG) on "
      "qemu:///embed (bench/qemu-ops.sh; median of %d round%s)\n"
      % (nrounds, "" if nrounds == 1 else "s"))
print("| measure | vireo | libvirt 9.0 | vireo / libvirt | vireo % of disk "
      "| libvirt % of disk |")
print("|---|---:|---:|---:|---:|---:|")
for name, key, digits, disk in rows:
    if key == "stats_keys":
        cells = []
        for who in ("vireo", "libvirt"):
            ks = [r.get("stats_keys_per_domain") for r in runs.get(who, [])
                  if r.get("stats_keys_per_domain")]
            cells.append("%d / %d" % (ks[0][0], ks[0][-1]) if ks else "-")
        print("| %s | %s | %s | - | - | - |" % (name, cells[0], cells[1]))
        continue
    v, l = med("vireo", key), med("libvirt", key)
    ratio = "%.2fx" % (v / l) if num(v) and num(l) and l else "-"
    print("| %s | %s | %s | %s | %s | %s |" % (
        name, fmt(v, digits), fmt(l, digits), ratio,
        pct(v, disk) if disk else "-", pct(l, disk) if disk else "-"))
print()
print("Disk (dd, 256 MiB in 1 MiB blocks, on the save directory's "
      "filesystem, before and after each round; medians): write made "
      "durable (`conv=fdatasync`) %s MB/s%s, write left in the page cache "
      "%s MB/s, read after dropping the page cache %s MB/s%s. Save is "
      "compared with the durable dd write: the durable MB/s "
      "adds the time of an fdatasync after save() returned (median extra "
      "%s s on vireo, %s s on libvirt: ~0 means the driver had synced the "
      "image itself); the image is dropped from the "
      "page cache before restore(), which is compared with the cold dd read."
      " MB = 10^6 bytes; the guest's memory is mostly dirtied first so the "
      "image is close to its 256 MiB."
      % (fmt(disk_ws, 1), spread("write_sync_mbps"),
         fmt(med("disk", "write_cached_mbps"), 1), fmt(disk_rc, 1),
         spread("read_cold_mbps"), extra("vireo"), extra("libvirt")))
print()
for i, env in enumerate(runs.get("env", []), 1):
    print("Round %d: load average %s, %s QEMU processes on the machine "
          "(%s cores), save directory on %s." % (
              i, env.get("loadavg"), env.get("qemu_processes"),
              env.get("cores"), env.get("fs")))
print()
# what one side reports that the other does not (the disk guest's keys)
keys = {}
for who in ("vireo", "libvirt"):
    for r in runs.get(who, []):
        if r.get("stats_keys_of_disk_guest"):
            keys[who] = set(r["stats_keys_of_disk_guest"])
            break
if len(keys) == 2:
    for a, b in (("libvirt", "vireo"), ("vireo", "libvirt")):
        only = sorted(keys[a] - keys[b])
        if only:
            print("Stats keys only %s returned: %s." % (
                a, ", ".join("`%s`" % k for k in only)))
    print()
# failed or unverified steps, per side
for who in ("vireo", "libvirt"):
    for i, r in enumerate(runs.get(who, []), 1):
        notes = ["%s: %s" % (k, v) for k, v in sorted(r.items())
                 if isinstance(v, str)]
        notes += ["%s is false" % k for k in
                  ("booted", "filled", "others_booted",
                   "running_after_restore", "running_after_revert")
                  if r.get(k) is False]
        if notes:
            print("%s, round %d: %s." % (who, i, "; ".join(notes)))
