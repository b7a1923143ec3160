#!/bin/bash
# headers.sh: our public headers are what the generator makes from the facts,
# and a compiler sees in them the same enum values, struct layouts, macros and
# prototypes as in libvirt 9.0 (recorded in api/layout.txt, api/prototypes.txt).
# Usage: headers.sh SOURCE_DIR
set -u
src=$1
n=0 failed=0
ok() { n=$((n+1)); echo "ok $n - $*"; }
notok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/inc"
python3 "$src/scripts/apiheaders.py" "$src/api" "$tmp/inc"
if diff -r "$tmp/inc" "$src/include/libvirt" >"$tmp/diff"; then
    ok "include/libvirt matches the generator's output"
else notok "include/libvirt differs from scripts/apiheaders.py output"
    sed 's/^/#   /' "$tmp/diff" | head -20; fi

python3 "$src/scripts/apiprobe.py" "$src/api" >"$tmp/probe.c"
if cc -w -I"$src/include" -o "$tmp/probe" "$tmp/probe.c"; then
    "$tmp/probe" >"$tmp/layout.txt"
    if diff "$src/api/layout.txt" "$tmp/layout.txt" >"$tmp/diff"; then
        ok "$(wc -l <"$tmp/layout.txt") enum values, sizes, offsets, macros match"
    else notok "layout differs"; sed 's/^/#   /' "$tmp/diff" | head -20; fi
else notok "probe does not compile against our headers"; fi

printf '#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>\n#include <libvirt/libvirt-qemu.h>\n#include <libvirt/libvirt-lxc.h>\n' >"$tmp/all.c"
if cc -w -I"$src/include" -aux-info "$tmp/aux" -c "$tmp/all.c" -o "$tmp/all.o"
then
    grep -o 'extern .*' "$tmp/aux" | grep ' vir' |
        sed 's/ VIR_DEPRECATED//; s/__attribute__[^;]*//; s|/\*.*||' |
        sort -u >"$tmp/protos"
    if diff "$src/api/prototypes.txt" "$tmp/protos" >"$tmp/diff"; then
        ok "$(wc -l <"$tmp/protos") prototypes match"
    else notok "prototypes differ"; sed 's/^/#   /' "$tmp/diff" | head; fi
else notok "headers do not compile"; fi

for std in c99 c11 gnu11; do
    if cc -std=$std -Wall -Wextra -Werror \
          -I"$src/include" -c "$tmp/all.c" -o "$tmp/all.o" 2>"$tmp/err"; then
        ok "headers compile cleanly with -std=$std -Wall -Wextra -Werror"
    else notok "headers with -std=$std"; sed 's/^/#   /' "$tmp/err" | head; fi
done
if c++ -x c++ -Wall -Werror -I"$src/include" -c "$tmp/all.c" -o "$tmp/all.o"
then ok "headers compile as C++"; else notok "headers as C++"; fi
echo "1..$n"
[ $failed = 0 ]
