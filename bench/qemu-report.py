#!/usr/bin/python3
# qemu-report.py: medians of bench/qemu-start.sh's JSON lines, as Markdown.
import json
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    if line.startswith("{"):
        rec = json.loads(line)
        runs.setdefault(rec["who"], []).append(rec["r"])


def med(who, key):
    vals = [r[key] for r in runs.get(who, []) if r.get(key) is not None]
    return round(statistics.median(vals), 1) if vals else None


rows = [
    ("create() to RUNNING (ms)", med("vireo", "start_to_running_ms"),
     med("libvirt", "start_to_running_ms"), med("bare", "running_ms")),
    ("create() to guest marker (ms)", med("vireo", "start_to_marker_ms"),
     med("libvirt", "start_to_marker_ms"), med("bare", "marker_ms")),
    ("manager RSS, idle (KiB)", med("vireo", "rss_idle_kib"),
     med("libvirt", "rss_idle_kib"), None),
    ("manager RSS, 1 guest (KiB)", med("vireo", "rss_1_guest_kib"),
     med("libvirt", "rss_1_guest_kib"), None),
    ("manager RSS, 5 guests (KiB)", med("vireo", "rss_5_guests_kib"),
     med("libvirt", "rss_5_guests_kib"), None),
]
print("### Starting a real guest (TCG) on qemu:///embed (bench/qemu-start.sh; "
      "median of %d rounds)\n" % len(runs.get("vireo", [])))
print("| measure | vireo | libvirt 9.0 | bare QEMU | vireo / libvirt "
      "| vireo / bare |")
print("|---|---:|---:|---:|---:|---:|")
for name, v, l, b in rows:
    def ratio(x, y):
        return "%.2fx" % (x / y) if x is not None and y else "-"
    print("| %s | %s | %s | %s | %s | %s |" % (
        name, v, l, b if b is not None else "-", ratio(v, l), ratio(v, b)))
print()
