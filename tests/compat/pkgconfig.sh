#!/bin/bash
# pkgconfig.sh: install into a scratch root, then build a libvirt client with
# nothing but `pkg-config --cflags --libs libvirt` and run it.
# Usage: pkgconfig.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
n=0 failed=0
ok() { n=$((n+1)); echo "ok $n - $*"; }
notok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $*"; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

if meson install -C "$build" --destdir "$root" --no-rebuild --quiet >/dev/null 2>&1
then ok "meson install into a scratch root"
else notok "meson install failed"; echo "1..$n"; exit 1; fi
pc=$(find "$root" -name libvirt.pc | head -1)
[ -n "$pc" ] && ok "libvirt.pc installed" || notok "libvirt.pc not installed"
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_LIBDIR=$(dirname "$pc")
[ "$(pkg-config --modversion libvirt)" = 9.0.0 ] && ok "pkg-config says 9.0.0" ||
    notok "pkg-config version: $(pkg-config --modversion libvirt)"
flags=$(pkg-config --cflags --libs libvirt)
case "$flags" in *"$root"*) ok "flags point into the install: $flags";;
                 *) notok "flags do not point into the install: $flags";; esac
[ -f "$root/usr/local/include/libvirt/libvirt.h" ] ||
    [ -n "$(find "$root" -path '*include/libvirt/libvirt.h')" ] &&
    ok "headers installed" || notok "headers not installed"
if cc -Wall -Werror -o "$root/client" "$src/examples/list-domains.c" $flags
then ok "a libvirt client compiles and links with pkg-config"
else notok "client does not build"; fi
libdir=$(dirname "$(dirname "$pc")")
out=$(LD_LIBRARY_PATH=$libdir "$root/client" test:///default 2>&1)
if echo "$out" | grep -q ' test .*running'; then ok "client runs: lists domain test"
else notok "client output: $out"; fi
resolved=$(LD_LIBRARY_PATH=$libdir ldd "$root/client" | awk '/libvirt.so.0/ {print $3}')
case "$resolved" in "$root"*) ok "client loads the installed library";;
                    *) notok "client resolved libvirt.so.0 to $resolved";; esac
echo "1..$n"
[ $failed = 0 ]
