#!/bin/bash
# Boot-check the vireo test guest built by guest/build.sh.
#
# Usage: guest/check.sh OUTDIR
#
# For each variant (basic: initrd.img, agent: initrd-agent.img) this boots
# QEMU under TCG, waits for the VIREO-GUEST-READY marker on the serial
# console, runs a command in the console shell, (agent) talks to qemu-ga,
# then presses the ACPI power button over QMP and checks that QEMU exits.
# Exit status 0 only if every step worked. Always TCG: Linux guests hang
# under nested KVM on our machines.
#
# Environment: QEMU (default qemu-system-x86_64), PYTHON (default python3),
# VIREO_GUEST_MARKER_TIMEOUT (60), VIREO_GUEST_SHUTDOWN_TIMEOUT (20).
set -euo pipefail

prog=${0##*/}
die() { echo "$prog: error: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $prog OUTDIR" >&2; exit 2; }
out=$(cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"

qemu=${QEMU:-qemu-system-x86_64}
python=${PYTHON:-python3}
marker_timeout=${VIREO_GUEST_MARKER_TIMEOUT:-60}
shutdown_timeout=${VIREO_GUEST_SHUTDOWN_TIMEOUT:-20}
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found (apt-get install -y qemu-system-x86)"
command -v "$python" >/dev/null 2>&1 || die "$python not found (needed to talk QMP and to the agent)"
for f in vmlinuz initrd.img initrd-agent.img; do
    [ -s "$out/$f" ] || die "$out/$f missing: run guest/build.sh $1 first"
done

tmp=$(mktemp -d /tmp/vireo-guest-check.XXXXXX)
qpid=
cleanup() {
    if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
        kill "$qpid" 2>/dev/null || true
        wait "$qpid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# Small JSON-over-socket client for QMP and the guest agent.
cat > "$tmp/client.py" <<'EOF'
import json, socket, sys, time

def connect(path, timeout):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s, s.makefile("rb")

def read_json(f):
    while True:
        line = f.readline()
        if not line:
            raise EOFError("connection closed")
        line = line.strip().lstrip(b"\xff")
        if line:
            return json.loads(line)

def qmp(path, commands):
    s, f = connect(path, 10)
    greeting = read_json(f)
    if "QMP" not in greeting:
        sys.exit("QMP: unexpected greeting %r" % greeting)
    for cmd in ["qmp_capabilities"] + commands:
        s.sendall(json.dumps({"execute": cmd}).encode() + b"\n")
        while True:
            reply = read_json(f)
            if "event" in reply:
                continue
            break
        if "return" not in reply:
            sys.exit("QMP %s failed: %r" % (cmd, reply))
        print("QMP %s -> %s" % (cmd, json.dumps(reply)))

def agent(path, timeout):
    deadline = time.time() + timeout
    s, f = connect(path, 2)
    # qemu-ga may still be starting: repeat guest-sync until it answers.
    n = int(time.time()) % 100000
    synced = False
    while not synced and time.time() < deadline:
        n += 1
        s.sendall(json.dumps({"execute": "guest-sync", "arguments": {"id": n}}).encode() + b"\n")
        try:
            while True:
                reply = read_json(f)
                if reply.get("return") == n:
                    synced = True
                    break
        except socket.timeout:
            pass
    if not synced:
        sys.exit("agent: no answer to guest-sync within %d s" % timeout)
    s.settimeout(10)
    results = {}
    for cmd in ["guest-ping", "guest-get-host-name"]:
        s.sendall(json.dumps({"execute": cmd}).encode() + b"\n")
        reply = read_json(f)
        print("agent %s -> %s" % (cmd, json.dumps(reply)))
        if "return" not in reply:
            sys.exit("agent %s failed: %r" % (cmd, reply))
        results[cmd] = reply["return"]
    if results["guest-ping"] != {}:
        sys.exit("agent: unexpected guest-ping reply")
    if results["guest-get-host-name"].get("host-name") != "vireo-guest":
        sys.exit("agent: unexpected host name %r" % results["guest-get-host-name"])

if sys.argv[1] == "qmp":
    qmp(sys.argv[2], sys.argv[3:])
else:
    agent(sys.argv[2], float(sys.argv[3]))
EOF

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# wait_for FILE PATTERN TIMEOUT: wait until a line of FILE matches PATTERN
# (grep -E) while QEMU runs; returns 1 on timeout or QEMU exit.
wait_for() {
    local deadline
    deadline=$(awk -v t="$(now)" -v d="$3" 'BEGIN { printf "%.3f", t + d }')
    while :; do
        grep -qaE "$2" "$1" 2>/dev/null && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t > d) }' && return 1
        sleep 0.1
    done
}

results=()
failed=0

check_variant() { # NAME INITRD AGENT(0|1)
    local name=$1 initrd=$2 with_agent=$3
    local dir=$tmp/$name
    mkdir -p "$dir"
    rm -f "$out/check-$name.log"
    local log=$dir/serial.log
    local args=(
        -machine q35 -accel tcg -m 256 -nographic
        -kernel "$out/vmlinuz" -initrd "$initrd"
        -append 'console=ttyS0 panic=-1' -no-reboot
        -qmp "unix:$dir/qmp.sock,server=on,wait=off"
    )
    if [ "$with_agent" = 1 ]; then
        args+=(-device virtio-serial
               -chardev "socket,path=$dir/ga.sock,server=on,wait=off,id=ga"
               -device virtserialport,chardev=ga,name=org.qemu.guest_agent.0)
    fi
    echo "== $name: $qemu ${args[*]}"
    mkfifo "$dir/console-in"
    exec 3<>"$dir/console-in"          # keeps the console input open
    local t0 t_marker t_agent t_off
    t0=$(now)
    "$qemu" "${args[@]}" <&3 >"$log" 2>&1 &
    qpid=$!

    local ok=1
    if wait_for "$log" '^VIREO-GUEST-READY' "$marker_timeout"; then
        t_marker=$(now)
        echo "$name: marker after $(elapsed "$t0" "$t_marker") s"
    else
        echo "$name: FAIL: no VIREO-GUEST-READY within $marker_timeout s; console log tail:"
        tail -n 20 "$log" | sed 's/^/    /'
        ok=0
    fi

    if [ $ok = 1 ]; then
        # The console shell: type a command whose output differs from its echo.
        printf 'echo vireo-$((6 * 7))\n' >&3
        if wait_for "$log" '^vireo-42' 20; then
            echo "$name: console shell answered"
        else
            echo "$name: FAIL: console shell did not answer"
            ok=0
        fi
    fi

    if [ $ok = 1 ] && [ "$with_agent" = 1 ]; then
        local ta; ta=$(now)
        if "$python" "$tmp/client.py" agent "$dir/ga.sock" 30 | sed "s/^/$name: /"; then
            t_agent=$(now)
            echo "$name: agent answered after $(elapsed "$t0" "$t_agent") s from start ($(elapsed "$ta" "$t_agent") s after the marker check)"
        else
            echo "$name: FAIL: guest agent"
            ok=0
        fi
    fi

    local t_down shut=""
    if [ $ok = 1 ]; then
        t_down=$(now)
        if "$python" "$tmp/client.py" qmp "$dir/qmp.sock" system_powerdown | sed "s/^/$name: /"; then
            local deadline=$(( $(date +%s) + shutdown_timeout ))
            while kill -0 "$qpid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
                sleep 0.1
            done
            if kill -0 "$qpid" 2>/dev/null; then
                echo "$name: FAIL: QEMU still running $shutdown_timeout s after system_powerdown"
                ok=0
            else
                t_off=$(now)
                local rc=0
                wait "$qpid" || rc=$?
                qpid=
                shut=$(elapsed "$t_down" "$t_off")
                echo "$name: QEMU exited (status $rc) $shut s after system_powerdown"
                [ $rc = 0 ] || { echo "$name: FAIL: QEMU exit status $rc"; ok=0; }
                grep -qa 'ACPI power button' "$log" ||
                    { echo "$name: FAIL: guest did not report the power button"; ok=0; }
            fi
        else
            echo "$name: FAIL: QMP system_powerdown"
            ok=0
        fi
    fi

    if [ -n "$qpid" ]; then
        kill "$qpid" 2>/dev/null || true
        wait "$qpid" 2>/dev/null || true
        qpid=
    fi
    exec 3<&-
    if [ $ok = 1 ]; then
        results+=("$name: OK  boot-to-marker $(elapsed "$t0" "$t_marker") s, shutdown $shut s${t_agent:+, agent ready $(elapsed "$t0" "$t_agent") s}")
    else
        results+=("$name: FAILED (console log: kept in $out/check-$name.log)")
        cp "$log" "$out/check-$name.log"
        failed=1
    fi
}

check_variant basic "$out/initrd.img" 0
check_variant agent "$out/initrd-agent.img" 1

echo "== summary (kernel $(cat "$out/kernel-version" 2>/dev/null || echo '?'), TCG)"
printf '%s\n' "${results[@]}"
exit $failed
