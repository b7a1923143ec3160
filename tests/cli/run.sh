#!/bin/bash
# run.sh: golden-output tests of the vireo CLI against test:///default.
#
#   run.sh VIREO [MANPAGE]
#
# Each line of 'cases' is: NAME STATUS ARGS... where ARGS are shell words;
# leading VAR=value words go to the environment (NOURI=1: no -c option).
# A case passes when the exit status is STATUS, stdout equals
# golden/NAME.out, stderr equals golden/NAME.err (if present) and matches
# every regex, one a line, of golden/NAME.errgrep (if present), a failure
# says "error: ..." on stderr, a success prints nothing there, and a
# successful --json run prints valid JSON.
# Cases may write files under $scratch (a fresh directory); the output
# shows it as $SCRATCH. Stdout goes through the sed script golden/NAME.sed
# (if present) first, for values that change from run to run (clocks).
# Commands run with TZ=UTC.
# Output is TAP. VIREO_UPDATE=1 rewrites the .out (and existing .err) files
# from the current output: review the diff before committing it.
# VIREO_VALGRIND=1 runs every case under valgrind (leaks fail the case).
set -u

vireo=${1:?usage: run.sh VIREO [MANPAGE]}
here=$(cd "$(dirname "$0")" && pwd)
case $vireo in /*) ;; *) vireo=$PWD/$vireo ;; esac
man=${2:-$here/../../docs/vireo.1}
golden=$here/golden
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

wrap=
if [ "${VIREO_VALGRIND:-}" = 1 ]; then
    wrap="valgrind --quiet --error-exitcode=99 --leak-check=full"
    wrap="$wrap --errors-for-leak-kinds=definite,indirect"
    wrap="$wrap --show-leak-kinds=definite,indirect"
fi

n=0
failed=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

notok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1 # $2"
    if [ -n "${3:-}" ] && [ -s "$3" ]; then
        sed 's/^/#   /' "$3"
    fi
}

# run_case NAME STATUS WORDS...
run_case() {
    name=$1 want=$2
    shift 2
    conn=(-c test:///default)
    envs=()
    while [ $# -gt 0 ]; do
        case $1 in
            NOURI=1) conn=() ;;
            [A-Z]*=*) envs+=("$1") ;;
            *) break ;;
        esac
        shift
    done
    out=$scratch/$name.out err=$scratch/$name.err
    env -u VISUAL -u LIBVIRT_DEFAULT_URI TMPDIR="$scratch" TZ=UTC \
        XDG_STATE_HOME=/nonexistent/state "${envs[@]}" $wrap \
        "$vireo" "${conn[@]}" "$@" >"$out" 2>"$err" </dev/null
    got=$?
    sed -i "s|$scratch|\$SCRATCH|g" "$out" "$err"
    if [ -f "$golden/$name.sed" ]; then
        sed -i -f "$golden/$name.sed" "$out"
    fi

    if [ "${VIREO_UPDATE:-}" = 1 ]; then
        cp "$out" "$golden/$name.out"
        [ -f "$golden/$name.err" ] && cp "$err" "$golden/$name.err"
    fi

    if [ "$got" != "$want" ]; then
        notok "$name" "exit status $got, expected $want" "$err"
        return
    fi
    if [ ! -f "$golden/$name.out" ]; then
        notok "$name" "no golden/$name.out"
        return
    fi
    if ! diff -u "$golden/$name.out" "$out" >"$scratch/diff"; then
        notok "$name" "stdout differs" "$scratch/diff"
        return
    fi
    if [ -f "$golden/$name.err" ] &&
       ! diff -u "$golden/$name.err" "$err" >"$scratch/diff"; then
        notok "$name" "stderr differs" "$scratch/diff"
        return
    fi
    if [ -f "$golden/$name.errgrep" ]; then
        while IFS= read -r re; do
            if ! grep -Eq -e "$re" "$err"; then
                notok "$name" "stderr does not match: $re" "$err"
                return
            fi
        done <"$golden/$name.errgrep"
    fi
    if [ "$want" = 0 ] && [ -s "$err" ] && [ ! -f "$golden/$name.err" ] &&
       [ ! -f "$golden/$name.errgrep" ]; then
        notok "$name" "unexpected stderr" "$err"
        return
    fi
    if [ "$want" != 0 ] && ! grep -q '^error: ' "$err"; then
        notok "$name" "no 'error: ' line on stderr" "$err"
        return
    fi
    case " $* " in
        *" --json "*)
            if [ "$want" = 0 ] && ! /usr/bin/python3 -m json.tool \
                    "$out" >/dev/null 2>"$scratch/diff"; then
                notok "$name" "stdout is not valid JSON" "$scratch/diff"
                return
            fi ;;
    esac
    ok "$name"
}

# The cases name files relative to this directory; keep a relative
# LD_LIBRARY_PATH meaning what it meant where we were started.
if [ -n "${LD_LIBRARY_PATH:-}" ]; then
    abs=
    IFS=: read -ra dirs <<<"$LD_LIBRARY_PATH"
    for d in "${dirs[@]}"; do
        case $d in /*) ;; *) d=$PWD/$d ;; esac
        abs=${abs:+$abs:}$d
    done
    export LD_LIBRARY_PATH=$abs
fi
cd "$here" || exit 1
while read -r name status rest; do
    case $name in ''|'#'*) continue ;; esac
    eval "run_case \"\$name\" \"\$status\" $rest"
done <"$here/cases"

# The man page's command list is the command table's: compare them.
"$vireo" _man >"$scratch/man.want" 2>&1
sed -n '/^\.\\" BEGIN COMMANDS/,/^\.\\" END COMMANDS/p' "$man" |
    sed '1d;$d' >"$scratch/man.got"
if [ -s "$scratch/man.got" ] &&
   diff -u "$scratch/man.want" "$scratch/man.got" >"$scratch/diff"; then
    ok "man page command list matches the command table"
else
    notok "man page command list matches the command table" \
        "docs/vireo.1 differs from 'vireo _man'" "$scratch/diff"
fi

# Every command the table lists is completed, described by help and has
# a golden case.
missing=
for cmd in $("$vireo" _complete -- ""); do
    "$vireo" help "$cmd" >/dev/null 2>&1 || missing="$missing help:$cmd"
    grep -q "^[a-z0-9-]* *[0-9] .*\b$cmd\b" "$here/cases" ||
        missing="$missing case:$cmd"
done
if [ -z "$missing" ]; then
    ok "every command has help and a test case"
else
    notok "every command has help and a test case" "missing:$missing"
fi

if bash -n "$here/../../tools/vireo/vireo.bash-completion" 2>"$scratch/diff"
then
    ok "bash completion script parses"
else
    notok "bash completion script parses" "syntax error" "$scratch/diff"
fi

# the default-uri case's embed root
rm -rf /tmp/vireo-cli-default-root

echo "1..$n"
[ "$failed" = 0 ]
