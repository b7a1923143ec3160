#!/bin/bash
# abi-symbols.sh: the symbols Debian's Sys::Virt and python3-libvirt import
# (with their version nodes) must all be defined by our libraries, and every
# function of the API facts must be exported under its node.
# Usage: abi-symbols.sh BUILD_SRC_DIR APIGEN FACTS_DIR TABLE
set -u
lib=$1 apigen=$2 facts=$3 table=$4
n=0 failed=0
ok() { n=$((n+1)); echo "ok $n - $*"; }
notok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $*"; }

ours=$(mktemp)
trap 'rm -f "$ours"' EXIT
for so in libvirt.so.0 libvirt-qemu.so.0 libvirt-lxc.so.0; do
    objdump -T "$lib/$so" | awk '!/\*UND\*/ && $NF ~ /^vir/ {print $(NF-1), $NF}'
done | sort -u >"$ours"

check_imports() {   # $1: a binary linked against libvirt
    local bin=$1 missing
    missing=$(objdump -T "$bin" | awk '/\*UND\*/ && $NF ~ /^vir/ {
                  v=$(NF-1); gsub(/[()]/, "", v); print v, $NF}' |
              sort -u | comm -23 - "$ours")
    local count
    count=$(objdump -T "$bin" | awk '/\*UND\*/ && $NF ~ /^vir/' | wc -l)
    if [ -z "$missing" ] && [ "$count" -gt 0 ]; then
        ok "$(basename "$bin"): all $count imported vir* symbols defined with their versions"
    else
        notok "$(basename "$bin"): missing or wrong version:"
        echo "$missing" | sed 's/^/#   /'
    fi
}

perlso=$(find /usr/lib -path '*auto/Sys/Virt/Virt.so' 2>/dev/null | head -1)
if [ -n "$perlso" ]; then check_imports "$perlso"
else notok "Sys::Virt's Virt.so not found (is libsys-virt-perl installed?)"; fi
pyfound=0
for so in /usr/lib/python3/dist-packages/libvirtmod*.so; do
    [ -e "$so" ] || continue
    pyfound=1
    check_imports "$so"
done
[ $pyfound = 1 ] || notok "libvirtmod*.so not found (is python3-libvirt installed?)"

# every function in the facts, under its own version node
want=$(python3 "$apigen" list "$facts" "$table" | awk '{print $3, $1}' | sort -u)
missing=$(comm -23 <(echo "$want") "$ours")
total=$(echo "$want" | wc -l)
if [ -z "$missing" ]; then ok "all $total API functions exported under their version nodes"
else notok "API functions missing:"; echo "$missing" | sed 's/^/#   /'; fi

# nothing internal leaks out, apart from the private node
leaked=$(objdump -T "$lib/libvirt.so.0" | awk '!/\*UND\*/ && $4 == ".text" &&
         $(NF-1) !~ /^(LIBVIRT_|VIREO_PRIVATE)/ {print $NF}')
if [ -z "$leaked" ]; then ok "no unversioned symbols exported"
else notok "unversioned exports: $leaked"; fi

echo "1..$n"
[ $failed = 0 ]
