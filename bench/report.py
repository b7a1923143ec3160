#!/usr/bin/python3
# report.py: print two benchmark results (system libvirt, vireo) side by side
# as a Markdown table. Usage: report.py TITLE SYSTEM.json VIREO.json
import json
import sys

title, a, b = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))


def rows(x, y, prefix=""):
    for k in x:
        if isinstance(x[k], dict):
            yield from rows(x[k], y.get(k, {}), prefix + k + " ")
        elif isinstance(x[k], (int, float)) and k in y:
            yield prefix + k, x[k], y[k]


print("### %s\n" % title)
print("| measure | libvirt 9.0 | vireo | vireo / libvirt |")
print("|---|---:|---:|---:|")
for name, va, vb in rows(a, b):
    ratio = vb / va if va else float("inf")
    print("| %s | %s | %s | %.2fx |" % (name, va, vb, ratio))
print()
