#!/usr/bin/env python3
# Writes a C program that prints the ABI facts a compiler sees through the
# public headers: every enum value, numeric macro, struct size and field offset.
# Compiled against two sets of headers, the outputs must be identical.
# Usage: apiprobe.py FACTS_DIR > probe.c
import os
import sys
import xml.etree.ElementTree as ET

facts = sys.argv[1]
print("#include <stdio.h>\n#include <stddef.h>")
print("#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>")
print("#include <libvirt/libvirt-qemu.h>\n#include <libvirt/libvirt-lxc.h>")
print("int main(void) {")
for name in ("libvirt", "libvirt-qemu", "libvirt-lxc"):
    root = ET.parse(os.path.join(facts, name + ".facts.xml")).getroot()
    for e in sorted(root.iter("enum"), key=lambda e: e.get("name")):
        if e.get("name").endswith("_LAST"):
            continue
        print('    printf("enum %s %%lld\\n", (long long)%s);'
              % (e.get("name"), e.get("name")))
    for s in sorted(root.iter("struct"), key=lambda s: s.get("name")):
        if s.find("field") is None:
            continue
        n = s.get("name")
        print('    printf("sizeof %s %%zu\\n", sizeof(%s));' % (n, n))
        for f in s.findall("field"):
            print('    printf("offsetof %s.%s %%zu\\n", offsetof(%s, %s));'
                  % (n, f.get("name"), n, f.get("name")))
    for m in sorted(root.iter("macro"), key=lambda m: m.get("name")):
        raw = m.get("raw") or ""
        if m.get("params") or m.get("string") is not None:
            if m.get("string") is not None:
                print('    printf("string %s %%s\\n", %s);'
                      % (m.get("name"), m.get("name")))
            continue
        if raw.startswith("_vir") or not raw or not (raw[0].isdigit() or
                                                     raw[0] in "(V"):
            continue
        print('    printf("macro %s %%lld\\n", (long long)(%s));'
              % (m.get("name"), m.get("name")))
print("    return 0;\n}")
