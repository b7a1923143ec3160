#!/usr/bin/python3
# domains.py: bulk domain operations on test:///default with python3-libvirt,
# run unchanged on the system's libvirt and on vireo (only LD_LIBRARY_PATH
# differs). Prints one JSON object: {N: {operation: ops_per_second}}, the
# median of ROUNDS (env, default 3) passes in which the sizes take turns.
import json
import os
import statistics
import sys
import time

import libvirt

XML = """<domain type='test'>
  <name>bench%d</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>"""


def rate(n, start):
    elapsed = time.perf_counter() - start
    return round(n / elapsed, 1) if elapsed > 0 else float("inf")


def run(n):
    out = {}
    conn = libvirt.open("test:///default")
    t = time.perf_counter()
    doms = [conn.defineXML(XML % i) for i in range(n)]
    out["define"] = rate(n, t)
    t = time.perf_counter()
    for i in range(n):
        conn.lookupByName("bench%d" % i)
    out["lookupByName"] = rate(n, t)
    reps = 20
    t = time.perf_counter()
    for _ in range(reps):
        conn.listAllDomains()
    out["listAllDomains (domains/s)"] = rate(reps * (n + 1), t)
    t = time.perf_counter()
    for d in doms:
        d.info()
    out["info"] = rate(n, t)
    t = time.perf_counter()
    for d in doms:
        d.create()
        d.destroy()
    out["create+destroy"] = rate(n, t)
    for d in doms:
        d.create()
    # the state group: the one libvirt's test driver reports (vireo's
    # reports all groups; asking for all would compare unequal work)
    t = time.perf_counter()
    stats = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE)
    out["getAllDomainStats state (domains/s)"] = rate(len(stats), t)
    for d in doms:
        d.destroy()
    t = time.perf_counter()
    for d in doms:
        d.undefine()
    out["undefine"] = rate(n, t)
    conn.close()
    return out


libvirt.registerErrorHandler(lambda c, e: None, None)
sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
# the sizes take turns, ROUNDS times, and each figure is the median: the
# machine's speed drifts over seconds, which a single pass per size would
# read as a difference between the sizes
rounds = int(os.environ.get("ROUNDS", "3"))
runs = {n: [] for n in sizes}
for _ in range(rounds):
    for n in sizes:
        runs[n].append(run(n))
print(json.dumps({str(n): {k: statistics.median(r[k] for r in runs[n])
                           for k in runs[n][0]} for n in sizes}))
