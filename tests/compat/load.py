#!/usr/bin/python3
# load.py: Debian's python3-libvirt runs on our libvirt.so.0 (LD_LIBRARY_PATH
# set by the caller to BUILD_SRC_DIR, given as the first argument).
import os
import sys

import libvirt

libdir = sys.argv[1]
count = 0
failed = 0


def check(ok, what):
    global count, failed
    count += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", count, what))
    if not ok:
        failed += 1
    return ok


with open("/proc/self/maps") as fp:
    paths = {line.split()[-1] for line in fp if "/libvirt.so" in line}
real = os.path.realpath(os.path.join(libdir, "libvirt.so.0"))
check(paths == {real}, "the mapped libvirt.so is ours (%s)" % ",".join(paths))

libvirt.registerErrorHandler(lambda ctx, err: None, None)
conn = libvirt.open("test:///default")
check(conn is not None, "connected to test:///default")
check(conn.getType() == "Test", "driver type is Test")
doms = conn.listAllDomains()
check([d.name() for d in doms] == ["test"], "one domain named test")
state, reason = doms[0].state()
check(state == libvirt.VIR_DOMAIN_RUNNING, "test is running")
check(doms[0].ID() == 1, "its id is 1")
check(doms[0].UUIDString() == "6695eb01-f6a4-8304-79aa-97f2502e193f",
      "its uuid")

try:
    conn.listAllNetworks()
    check(False, "unimplemented call raised")
except libvirt.libvirtError as e:
    check(e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT,
          "code is NO_SUPPORT (%s)" % e.get_error_code())
    check("virConnectListAllNetworks" in e.get_error_message(),
          "message names the function")

try:
    conn.lookupByName("nosuch")
    check(False, "unknown domain raised")
except libvirt.libvirtError as e:
    check(e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN,
          "unknown domain gives NO_DOMAIN")

try:
    libvirt.open("bogus:///x")
    check(False, "unknown URI raised")
except libvirt.libvirtError as e:
    check(e.get_error_code() == libvirt.VIR_ERR_NO_CONNECT,
          "unknown URI gives NO_CONNECT")

check(libvirt.getVersion() == 9000000, "library version 9.0.0")

# events through the default loop
libvirt.virEventRegisterDefaultImpl()
econn = libvirt.open("test:///default")
seen = []
cbid = econn.domainEventRegisterAny(
    None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
    lambda c, d, ev, det, opaque: seen.append((d.name(), ev, det)), None)
check(cbid > 0, "domainEventRegisterAny gives an id")
econn.lookupByName("test").suspend()
for _ in range(50):
    if seen:
        break
    libvirt.virEventAddTimeout(10, lambda t, o: libvirt.virEventRemoveTimeout(t),
                               None)
    libvirt.virEventRunDefaultImpl()
check(seen == [("test", libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                libvirt.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED)],
      "lifecycle callback got SUSPENDED for test (%s)" % seen)
econn.domainEventDeregisterAny(cbid)
econn.close()
conn.close()
print("1..%d" % count)
sys.exit(1 if failed else 0)
