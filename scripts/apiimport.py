#!/usr/bin/env python3
# Copies the facts (names, types, values, versions) out of Debian's libvirt API
# descriptions into api/, dropping every piece of documentation prose.
# Run by hand when the target libvirt version changes; the output is committed.
import sys
import xml.etree.ElementTree as ET

SRC = "/usr/share/libvirt/api"
KEEP = ("name", "file", "type", "value", "version", "params", "raw",
        "string", "module")


def strip(el):
    for key in list(el.attrib):
        if key not in KEEP:
            del el.attrib[key]
    for child in list(el):
        if child.tag in ("info", "description", "summary", "author",
                         "exports", "files"):
            el.remove(child)
        else:
            strip(child)
    el.text = None if el.text is None or not el.text.strip() else el.text
    el.tail = None


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "api"
    for name in ("libvirt", "libvirt-qemu", "libvirt-lxc"):
        tree = ET.parse("%s/%s-api.xml" % (SRC, name))
        root = tree.getroot()
        for sect in list(root):
            if sect.tag == "files":
                root.remove(sect)
        strip(root)
        ET.indent(tree)
        tree.write("%s/%s.facts.xml" % (out, name), encoding="unicode")


main()
