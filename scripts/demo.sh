#!/bin/bash
# demo.sh: what `make demo` shows. Until the QEMU driver and the CLI land, a
# libvirt client (examples/list-domains.c) and Debian's own bindings talk to
# vireo's in-memory test driver through our libvirt.so.0.
set -euo pipefail
build=${1:-build}
lib=$(cd "$build/src" && pwd)
echo "== a C program built against vireo's headers, on vireo's libvirt.so.0"
LD_LIBRARY_PATH=$lib "$build/examples/list-domains" test:///default
echo
echo "== Debian's python3-libvirt, unchanged, on vireo's libvirt.so.0"
LD_LIBRARY_PATH=$lib /usr/bin/python3 - <<'PY'
import libvirt
libvirt.registerErrorHandler(lambda c, e: None, None)
conn = libvirt.open("test:///default")
for d in conn.listAllDomains():
    state, reason = d.state()
    print("  %-8s id=%d uuid=%s state=%d" % (d.name(), d.ID(), d.UUIDString(), state))
try:
    conn.listAllNetworks()
except libvirt.libvirtError as e:
    print("  networks: %s (code %d)" % (e.get_error_message(), e.get_error_code()))
maps = {l.split()[-1] for l in open("/proc/self/maps") if "libvirt.so" in l}
print("  library loaded: %s" % ", ".join(sorted(maps)))
PY
echo
echo "== Debian's Sys::Virt (Perl), unchanged, on vireo's libvirt.so.0"
LD_LIBRARY_PATH=$lib perl -MSys::Virt -e '
    my $c = Sys::Virt->new(uri => "test:///default");
    my @d = $c->list_all_domains();
    printf("  %s driver, %d domain(s): %s\n", $c->get_type(), scalar(@d),
           join(", ", map { $_->get_name() } @d));'
