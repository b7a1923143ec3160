#!/bin/bash
# vireo test guest builder.
#
# Usage: guest/build.sh OUTDIR
#
# Builds a small bootable guest from Debian packages only (fetched with
# `apt-get download`, unpacked with `dpkg -x`):
#   OUTDIR/vmlinuz           the Debian cloud kernel
#   OUTDIR/initrd.img        busybox-static + acpid + a few kernel modules
#   OUTDIR/initrd-agent.img  the same plus qemu-guest-agent and its libraries
# The .deb files are cached in OUTDIR/debs and reused on later runs; the
# outputs are rebuilt only when an input (this script, guest/init, the set of
# cached packages) changed.
#
# Environment:
#   VIREO_GUEST_KERNEL   kernel package to use (default: the newest installed
#                        linux-image-*-cloud-amd64, else the one the
#                        linux-image-cloud-amd64 meta-package depends on)
#   VIREO_GUEST_REFRESH  set to 1 to re-resolve package versions with apt
#                        instead of reusing OUTDIR/debs/packages.list
set -euo pipefail

prog=${0##*/}
die() { echo "$prog: error: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

[ $# -eq 1 ] || { echo "usage: $prog OUTDIR" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
init_src=$here/init
[ -f "$init_src" ] || die "missing $init_src"

for tool in dpkg dpkg-deb apt-get apt-cache cpio gzip sha256sum find sort; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found (apt-get install -y dpkg apt cpio gzip coreutils findutils)"
done

mkdir -p "$1"
out=$(cd "$1" && pwd)
debs=$out/debs
work=$out/work
mkdir -p "$debs"

# Kernel modules wanted in both images. Dependencies (read from each module's
# .modinfo "depends=" field) are added automatically; names that are built in
# or absent from this kernel are skipped.
modules_wanted="button evdev virtio_pci virtio_console virtio_blk virtio_net virtio_balloon virtio_rng"

# ---------------------------------------------------------------- packages

apt_opts=()
[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)

# candidates PKG...: print "PKG VERSION" (apt's candidate version) for each
# package, in one apt-cache call; die clearly on packages apt does not know.
candidates() {
    local pol pkg ver
    pol=$(apt-cache policy "$@" 2>/dev/null |
        awk '/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
             $1 == "Candidate:" && p != "" { print p, $2; p = "" }') || true
    for pkg in "$@"; do
        ver=$(awk -v p="$pkg" '$1 == p { print $2; exit }' <<<"$pol")
        if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
            die "package '$pkg' not found by apt (no candidate version; run 'apt-get update' first?)"
        fi
        echo "$pkg $ver"
    done
}

pick_kernel() {
    if [ -n "${VIREO_GUEST_KERNEL:-}" ]; then
        echo "$VIREO_GUEST_KERNEL"; return
    fi
    local installed
    installed=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'linux-image-*-cloud-amd64' 2>/dev/null |
        awk '$1 == "ii" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2 }' | sort -V | tail -n1 || true)
    if [ -n "$installed" ]; then
        echo "$installed"; return
    fi
    local dep
    dep=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2 }' | sort -V | tail -n1 || true)
    if [ -z "$dep" ]; then
        dep=$(apt-cache search --names-only '^linux-image-[0-9].*-cloud-amd64$' 2>/dev/null |
            awk '{ print $1 }' | sort -V | tail -n1 || true)
    fi
    [ -n "$dep" ] || die "no linux-image-*-cloud-amd64 package known to apt (run 'apt-get update' first?)"
    echo "$dep"
}

# Library packages qemu-guest-agent needs at run time: follow Depends and
# Pre-Depends, but only through library packages (lib*, zlib1g), which is
# where shared objects live; packaging helpers (init-system-helpers, ...) are
# not needed inside the initramfs. One apt-cache call per level.
agent_packages() {
    local -A seen=([qemu-guest-agent]=1)
    local level=(qemu-guest-agent) next d
    while [ ${#level[@]} -gt 0 ]; do
        printf '%s\n' "${level[@]}"
        next=()
        for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts \
                     --no-breaks --no-replaces --no-enhances "${level[@]}" 2>/dev/null |
                   awk '$1 == "Depends:" || $1 == "PreDepends:" { print $2 }' | sort -u); do
            d=${d%:any}
            case $d in
                lib*|zlib1g)
                    if [ -z "${seen[$d]:-}" ]; then seen[$d]=1; next+=("$d"); fi ;;
            esac
        done
        level=("${next[@]}")
    done
}

# packages.list: "ROLE PACKAGE DEBFILE" lines; ROLE is kernel, base or agent.
plist=$debs/packages.list

resolve_and_fetch() {
    local kpkg roles=() names=() want=() role pkg ver f i dl
    kpkg=$(pick_kernel)
    note "kernel package: $kpkg"
    roles+=(kernel base); names+=("$kpkg" busybox-static)
    while read -r pkg; do roles+=(agent); names+=("$pkg"); done < <(agent_packages)
    mapfile -t want < <(candidates "${names[@]}")
    [ ${#want[@]} -eq ${#names[@]} ] || exit 1   # candidates() already said why

    # Reuse cached .debs of the candidate version; download the others into
    # a scratch directory so that each file name is known exactly.
    dl=$(mktemp -d "$debs/.dl.XXXXXX")
    local fetch=()
    for i in "${!want[@]}"; do
        read -r pkg ver <<<"${want[$i]}"
        compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" >/dev/null || fetch+=("$pkg=$ver")
    done
    if [ ${#fetch[@]} -gt 0 ]; then
        note "downloading ${#fetch[@]} package(s) with apt-get download"
        if ! (cd "$dl" && apt-get "${apt_opts[@]}" -q download "${fetch[@]}" >"$dl/log" 2>&1); then
            cat "$dl/log" >&2
            rm -rf "$dl"
            die "apt-get download failed for: ${fetch[*]} (package not found, or the Debian mirror is unreachable?)"
        fi
        mv -f "$dl"/*.deb "$debs/"
    fi
    rm -rf "$dl"
    : > "$plist.tmp"
    for i in "${!want[@]}"; do
        read -r pkg ver <<<"${want[$i]}"
        f=$(compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1 || true)
        [ -n "$f" ] || die "apt-get download did not produce a .deb for $pkg $ver"
        echo "${roles[$i]} $pkg ${f##*/}" >> "$plist.tmp"
    done
    mv -f "$plist.tmp" "$plist"
}

need_resolve=0
if [ ! -s "$plist" ] || [ "${VIREO_GUEST_REFRESH:-0}" = 1 ]; then
    need_resolve=1
else
    # Every listed .deb must still be in the cache.
    while read -r role pkg f; do
        [ -f "$debs/$f" ] || { note "cached $f is missing; resolving again"; need_resolve=1; break; }
    done < "$plist"
fi
[ $need_resolve = 1 ] && resolve_and_fetch

# ---------------------------------------------------------------- stamp

stamp_now=$( {
    sha256sum "$here/build.sh" "$init_src" | awk '{ print $1 }'
    cat "$plist"
    while read -r role pkg f; do stat -c '%n %s' "$debs/$f"; done < "$plist"
} | sha256sum | awk '{ print $1 }')
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp_now" ] &&
   [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] && [ -s "$out/initrd-agent.img" ]; then
    note "up to date: $out (kernel $(cat "$out/kernel-version" 2>/dev/null || echo '?'))"
    exit 0
fi
rm -f "$out/.stamp"

# ---------------------------------------------------------------- unpack

rm -rf "$work"
mkdir -p "$work/kernel" "$work/busybox" "$work/agent"
while read -r role pkg f; do
    case $role in
        kernel) dest=$work/kernel ;;
        base) dest=$work/busybox ;;
        agent) dest=$work/agent ;;
        *) die "bad line in $plist: $role $pkg $f" ;;
    esac
    dpkg -x "$debs/$f" "$dest" || die "dpkg -x failed on $debs/$f"
done < "$plist"

# Kernel image and version.
vmlinuz=$(ls -1 "$work"/kernel/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in the kernel package"
kver=${vmlinuz##*/vmlinuz-}
moddir=$work/kernel/lib/modules/$kver
[ -d "$moddir" ] || die "no lib/modules/$kver in the kernel package"

bb=$work/busybox/bin/busybox
[ -x "$bb" ] || die "busybox-static did not provide bin/busybox"

# ---------------------------------------------------------------- modules

# Map module name (with '-' folded to '_') to its path below $moddir.
declare -A modpath=()
while IFS= read -r -d '' ko; do
    rel=${ko#"$moddir"/}
    n=${ko##*/}; n=${n%.ko}; n=${n//-/_}
    modpath[$n]=$rel
done < <(find "$moddir/kernel" -name '*.ko' -print0)
[ ${#modpath[@]} -gt 0 ] || die "no .ko files found under $moddir/kernel (compressed modules are not supported)"

declare -A builtin=()
if [ -f "$moddir/modules.builtin" ]; then
    while IFS= read -r line; do
        n=${line##*/}; n=${n%.ko}; n=${n//-/_}
        builtin[$n]=1
    done < "$moddir/modules.builtin"
fi

mod_depends() {
    tr '\0' '\n' < "$moddir/${modpath[$1]}" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '
}

# Depth-first: dependencies first, so the list is a valid insmod order.
declare -A mod_done=()
load_order=()
add_module() {
    local n=${1//-/_} d
    [ -n "${mod_done[$n]:-}" ] && return 0
    mod_done[$n]=1
    if [ -n "${builtin[$n]:-}" ]; then return 0; fi
    if [ -z "${modpath[$n]:-}" ]; then
        note "warning: module $n not in kernel $kver, skipped"
        return 0
    fi
    for d in $(mod_depends "$n"); do add_module "$d"; done
    load_order+=("${modpath[$n]}")
}
for m in $modules_wanted; do add_module "$m"; done

# ---------------------------------------------------------------- base root

root=$work/root-base
mkdir -p "$root"
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin etc/acpi/PWRF proc sys dev run tmp root var/log \
    lib/modules/"$kver" lib64
ln -s ../run var/run
cp "$bb" bin/busybox
# Applet links, made at build time so the guest boots a little faster.
"$bb" --list-full | while read -r a; do
    [ "$a" = bin/busybox ] && continue
    [ -e "$a" ] || [ -L "$a" ] || ln -s /bin/busybox "$a"
done
[ -L bin/sh ] || die "busybox has no sh applet"
install -m 0755 "$init_src" init

for rel in "${load_order[@]}"; do
    mkdir -p "lib/modules/$kver/${rel%/*}"
    cp "$moddir/$rel" "lib/modules/$kver/$rel"
done
cp "$moddir/modules.builtin" "$moddir/modules.order" "lib/modules/$kver/" 2>/dev/null || true
printf '%s\n' "${load_order[@]}" > etc/vireo-modules
# modules.dep for busybox modprobe, for anyone loading modules by hand.
"$bb" depmod -b "$root" "$kver" 2>/dev/null || note "warning: busybox depmod failed (modprobe in the guest will not work; insmod does)"

echo vireo-guest > etc/hostname
# Accounts: root, and user vireo whose password the agent tests set.
printf 'root:x:0:0:root:/root:/bin/sh\nvireo:x:1000:1000:vireo:/home/vireo:/bin/sh\n' > etc/passwd
printf 'root:x:0:\nvireo:x:1000:\n' > etc/group
printf 'root:*:19000:0:99999:7:::\nvireo:!:19000:0:99999:7:::\n' > etc/shadow
chmod 0600 etc/shadow
mkdir -p home/vireo
# qemu-ga's guest-set-user-password runs chpasswd, which busybox-static
# does not have: a small one on top of busybox mkpasswd.
cat > usr/sbin/chpasswd <<'EOF'
#!/bin/sh
# Minimal chpasswd(8) for the vireo test guest: reads USER:PASSWORD lines
# on stdin (-e: PASSWORD is a crypt(3) hash already) and stores the hash
# in /etc/shadow.
crypted=0
[ "${1:-}" = -e ] && crypted=1
while IFS= read -r line; do
    user=${line%%:*}
    pass=${line#*:}
    if ! grep -q "^$user:" /etc/shadow; then
        echo "chpasswd: user '$user' does not exist" >&2
        exit 1
    fi
    if [ $crypted = 1 ]; then
        hash=$pass
    else
        hash=$(printf '%s' "$pass" | mkpasswd -m sha512 -P 0) || exit 1
    fi
    days=$(( $(date +%s) / 86400 ))
    awk -F: -v OFS=: -v u="$user" -v h="$hash" -v d="$days" \
        '$1 == u { $2 = h; $3 = d } { print }' /etc/shadow > /etc/shadow.new &&
        chmod 0600 /etc/shadow.new && mv /etc/shadow.new /etc/shadow || exit 1
done
EOF
chmod 0755 usr/sbin/chpasswd
printf '127.0.0.1 localhost\n127.0.1.1 vireo-guest\n' > etc/hosts
cat > etc/os-release <<'EOF'
NAME="vireo test guest"
ID=vireo-guest
ID_LIKE=debian
PRETTY_NAME="vireo test guest (Debian packages)"
VERSION_ID=1
EOF
# busybox acpid runs /etc/acpi/<ACTION>/<PARAMETER>; the power button is
# reported as PWRF/00000080.
cat > etc/acpi/PWRF/00000080 <<'EOF'
#!/bin/sh
echo "vireo-guest: ACPI power button, powering off" > /dev/ttyS0 2>/dev/null
sync
poweroff -f
EOF
chmod 0755 etc/acpi/PWRF/00000080
# qemu-ga runs /sbin/shutdown for guest-shutdown; busybox has no such applet.
cat > sbin/shutdown <<'EOF'
#!/bin/sh
# Minimal shutdown(8) for the vireo test guest: -r reboots, anything else
# powers off; the time argument is ignored.
action=poweroff
for a in "$@"; do
    case $a in
        -r) action=reboot ;;
        -h|-H|-P) action=poweroff ;;
    esac
done
echo "vireo-guest: shutdown $*: $action" > /dev/ttyS0 2>/dev/null
sync
exec "$action" -f
EOF
chmod 0755 sbin/shutdown
echo "$kver" > etc/vireo-kernel

# ---------------------------------------------------------------- agent root

aroot=$work/root-agent
cp -a "$root" "$aroot"
ga=$work/agent/usr/sbin/qemu-ga
[ -x "$ga" ] || die "qemu-guest-agent did not provide usr/sbin/qemu-ga"
ldso=$work/agent/lib64/ld-linux-x86-64.so.2
[ -e "$ldso" ] || die "libc6 did not provide lib64/ld-linux-x86-64.so.2"

# Resolve the shared libraries with the dynamic loader from the unpacked
# libc6 (what ldd does), searching only the unpacked packages' directories.
libpath=
for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib; do
    [ -d "$work/agent/$d" ] && libpath=${libpath:+$libpath:}$work/agent/$d
done
list=$("$ldso" --inhibit-cache --library-path "$libpath" --list "$ga" 2>&1) ||
    die "could not list qemu-ga's libraries: $list"
if grep -q 'not found' <<<"$list"; then
    die "qemu-ga needs libraries not found in the downloaded packages:
$(grep 'not found' <<<"$list")"
fi
mkdir -p "$aroot/lib/x86_64-linux-gnu" "$aroot/usr/sbin"
while read -r name arrow path _; do
    [ "$arrow" = "=>" ] || continue
    case $name in /*) continue ;; esac   # the loader itself, copied below
    case $path in
        "$work/agent/"*) ;;
        *) die "library $name resolved outside the unpacked packages: $path" ;;
    esac
    cp -L "$path" "$aroot/lib/x86_64-linux-gnu/$name"
done <<<"$list"
cp -L "$ldso" "$aroot/lib64/ld-linux-x86-64.so.2"
cp "$ga" "$aroot/usr/sbin/qemu-ga"
mkdir -p "$aroot/etc/qemu" "$aroot/var/lib/qemu-ga"

# ---------------------------------------------------------------- archives

mkcpio() { # ROOT OUTFILE
    (cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
        cpio --quiet -o -H newc --reproducible -R 0:0) | gzip -6 -n > "$2.tmp"
    mv -f "$2.tmp" "$2"
}
cp "$vmlinuz" "$out/vmlinuz.tmp" && mv -f "$out/vmlinuz.tmp" "$out/vmlinuz"
mkcpio "$root" "$out/initrd.img"
mkcpio "$aroot" "$out/initrd-agent.img"
echo "$kver" > "$out/kernel-version"
rm -rf "$work"
echo "$stamp_now" > "$out/.stamp"

note "kernel $kver; modules: $(printf '%s ' "${load_order[@]##*/}")"
note "built $out/vmlinuz $out/initrd.img $out/initrd-agent.img"
