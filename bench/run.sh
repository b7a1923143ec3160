#!/bin/bash
# run.sh: the same client on the system's libvirt and on vireo, side by side.
# Usage: bench/run.sh [BUILD_DIR] [N]
set -euo pipefail
build=${1:-build}
n=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
lib=$(cd "$build/src" && pwd)
sys=$(/usr/bin/python3 "$here/client.py" "$n")
ours=$(LD_LIBRARY_PATH=$lib /usr/bin/python3 "$here/client.py" "$n")
/usr/bin/python3 - "$sys" "$ours" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%-22s %14s %14s %8s" % ("measure", "libvirt 9.0", "vireo", "ratio"))
for k in a:
    if k == "library":
        continue
    ratio = a[k] / b[k] if b[k] else float("inf")
    print("%-22s %14s %14s %7.1fx" % (k, a[k], b[k], ratio))
print("(us = microseconds per call, lower is better; ratio = libvirt / vireo)")
print("libraries: %s | %s" % (",".join(a["library"]), ",".join(b["library"])))
PY
