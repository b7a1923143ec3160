#!/usr/bin/python3
# bare.py: the floor for start.py: run QEMU by hand with the argv vireo used
# (read from ROOT/log/NAME.log, without -S), and time exec -> QMP answering
# "running" and exec -> the marker on the serial pty. Prints one JSON line.
# Usage: bare.py LOGFILE
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time

MARKER = b"VIREO-GUEST-READY"
with open(sys.argv[1]) as fp:
    line = next(l for l in fp if "starting QEMU: " in l)
argv = shlex.split(line.split("starting QEMU: ", 1)[1])
argv = [a for a in argv if a != "-S"]
qmp = re.search(r"path=([^,]+\.qmp)", " ".join(argv)).group(1)
if os.path.exists(qmp):
    os.unlink(qmp)

t0 = time.monotonic()
proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
pty = None
while pty is None:
    text = proc.stdout.readline()
    if not text:
        sys.exit("QEMU exited before opening its pty")
    m = re.search(rb"redirected to (/dev/pts/\d+)", text)
    if m:
        pty = m.group(1).decode()
fd = os.open(pty, os.O_RDONLY | os.O_NOCTTY)
out = {}
while "running_ms" not in out:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(qmp)
        s.recv(4096)
        s.sendall(b'{"execute":"qmp_capabilities"}\n')
        s.recv(4096)
        s.sendall(b'{"execute":"query-status"}\n')
        if b'"running"' in s.recv(4096):
            out["running_ms"] = round((time.monotonic() - t0) * 1000, 1)
        s.close()
    except OSError:
        time.sleep(0.001)
seen = b""
while MARKER not in seen and time.monotonic() - t0 < 60:
    seen = (seen + os.read(fd, 4096))[-4096:]
out["marker_ms"] = round((time.monotonic() - t0) * 1000, 1)
proc.kill()
proc.wait()
print(json.dumps(out))
