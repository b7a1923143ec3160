#!/bin/sh
# fuzz.sh: build the domain XML fuzzer with clang's libFuzzer and ASan and
# run it for N seconds (default 300) on tests/conf/corpus (new inputs are
# added there). Usage: tests/conf/fuzz.sh [SECONDS] [JOBS]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-300}
jobs=${2:-1}
cc=${CLANG:-clang-14}
out=${FUZZ_BUILD:-build-fuzz}
mkdir -p "$out" tests/conf/corpus
util="src/util/alloc.c src/util/error.c src/util/log.c src/util/buf.c \
      src/util/uuid.c src/util/hash.c src/util/xtree.c src/util/enumtab.c \
      src/util/typedparam.c"
# shellcheck disable=SC2086
$cc -g -O1 -std=gnu11 -D_GNU_SOURCE -DVIR_ENUM_SENTINELS -fsanitize=fuzzer,address,undefined \
    -Iinclude -Isrc -Isrc/util $(pkg-config --cflags libxml-2.0) \
    src/conf/*.c $util tests/conf/fuzz-domainxml.c \
    $(pkg-config --libs libxml-2.0) -lpthread -o "$out/fuzz-domainxml"
par=""
if [ "$jobs" -gt 1 ]; then
    par="-jobs=$jobs -workers=$jobs"
fi
# shellcheck disable=SC2086
exec "$out/fuzz-domainxml" -max_total_time="$secs" -max_len=8192 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/" $par \
    -dict=tests/conf/domainxml.dict tests/conf/corpus tests/conf/data
