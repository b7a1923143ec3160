#!/usr/bin/python3
# client.py: one libvirt client, run unchanged on the system's libvirt and on
# vireo (only LD_LIBRARY_PATH differs). Prints one JSON line of timings.
import json
import os
import resource
import sys
import time

t0 = time.perf_counter()
import libvirt  # noqa: E402
t_import = time.perf_counter() - t0

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
libvirt.registerErrorHandler(lambda c, e: None, None)


def per_call(fn, n=N):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6   # microseconds


def _open_lookup_close():
    c = libvirt.open("test:///default")
    c.lookupByName("test")
    c.close()


def _try(c):
    try:
        c.networkLookupByName("none")
    except libvirt.libvirtError:
        pass


conn = libvirt.open("test:///default")
dom = conn.lookupByName("test")
results = {
    "library": sorted({line.split()[-1] for line in open("/proc/self/maps")
                       if "/libvirt.so" in line}),
    "import_ms": round(t_import * 1000, 2),
    "open_close_us": per_call(lambda: libvirt.open("test:///default").close(),
                              max(N // 10, 10)),
    # a connection that is used: vireo builds a test:///default host on
    # its first call, so open_close alone does not show that cost
    "open_lookup_close_us": per_call(_open_lookup_close, max(N // 10, 10)),
    "lookup_by_name_us": per_call(lambda: conn.lookupByName("test")),
    "get_info_us": per_call(dom.info),
    "get_state_us": per_call(dom.state),
    "xml_desc_us": per_call(lambda: dom.XMLDesc(0)),
    "list_all_domains_us": per_call(conn.listAllDomains),
    "error_path_us": per_call(lambda: _try(conn)),
    "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}


for k, v in results.items():
    if isinstance(v, float):
        results[k] = round(v, 2)
print(json.dumps(results))
