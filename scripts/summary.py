#!/usr/bin/env python3
# summary.py: count the checks in meson's test log (TAP subtests, or whole
# tests that are not TAP) and print the last line of `make check`:
# "N passed, N failed[, N skipped]". Exits 1 when anything failed.
import json
import re
import sys

passed = failed = skipped = 0
bad = []
with open(sys.argv[1]) as fp:
    for line in fp:
        if not line.strip():
            continue
        try:
            t = json.loads(line)
        except ValueError:
            failed += 1
            bad.append("(an unreadable line in the test log)")
            continue
        out = t.get("stdout") or ""
        oks = re.findall(r"^(not ok|ok)\b[^\n]*", out, re.M)
        if t.get("protocol") == "tap" or oks:
            for m in re.finditer(r"^(not ok|ok)\b([^\n]*)", out, re.M):
                if "# SKIP" in m.group(2):
                    skipped += 1
                elif m.group(1) == "ok":
                    passed += 1
                else:
                    failed += 1
                    bad.append("%s:%s" % (t["name"], m.group(2)))
            if t["result"] not in ("OK", "SKIP", "EXPECTEDFAIL") and \
                    not any(b.startswith(t["name"] + ":") for b in bad):
                failed += 1
                bad.append("%s: %s" % (t["name"], t["result"]))
        elif t["result"] == "SKIP":
            skipped += 1
        elif t["result"] in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
            bad.append("%s: %s" % (t["name"], t["result"]))
for b in bad:
    print("FAILED " + b)
line = "%d passed, %d failed" % (passed, failed)
if skipped:
    line += ", %d skipped" % skipped
print(line)
sys.exit(1 if failed else 0)
