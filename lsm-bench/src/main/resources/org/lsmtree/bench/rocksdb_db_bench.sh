#!/usr/bin/env bash
# Native RocksDB's db_bench (Debian: apt-get install rocksdb-tools) run with the shape lsm-bench
# gives the Java engines, so that its figures can stand in the same table as the C++ reference.
# lsm-bench runs this script itself when db_bench is installed; it can also be run by hand:
#
#   rocksdb_db_bench.sh --db_bench /usr/bin/db_bench --dir /tmp/x --num 1000000 \
#       --value_size 100 --key_size 16 --threads 1 --readers 1 --seed 301 \
#       --benchmarks fillseq,fillrandom,overwrite,readrandom
#
# Only db_bench's version, warnings, errors and result lines are kept.
# Each of our workloads is one db_bench invocation (the store stays between them), preceded by a
# line "lsm-bench step <i> <workload> threads <n>". Mapping: fillrandom is db_bench's filluniquerandom (every
# key once, as ours); fillsync and fillsync16 write to a store of their own (the reads keep theirs),
# fillsync16 as 16 threads sharing num/1000 synced writes (db_bench's --writes, since its own
# fillsync would write num); readwhilewriting has --readers readers;
# seekrandom reads --seek_nexts=10; with several reader threads each does num/threads reads
# (--reads), as ours split num among them. Knobs as for the Java engines: 4 MiB write buffer, 4 KiB
# blocks, 10 bloom bits, 8 MiB block cache, no compression, WAL on, L1 target 10 MiB, 2 MiB files.
set -euo pipefail

db_bench=db_bench dir="" num=1000000 value_size=100 key_size=16 threads=1 readers=1 seed=301
benchmarks="fillseq,fillrandom,overwrite,fillsync,fillsync16,readrandom,readmissing,readhot,readseq,readreverse,seekrandom,deleterandom,readwhilewriting,compact,readrandom"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db_bench) db_bench="$2" ;;
    --dir) dir="$2" ;;
    --num) num="$2" ;;
    --value_size) value_size="$2" ;;
    --key_size) key_size="$2" ;;
    --threads) threads="$2" ;;
    --readers) readers="$2" ;;
    --seed) seed="$2" ;;
    --benchmarks) benchmarks="$2" ;;
    *) echo "rocksdb_db_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n "$dir" ]] || { echo "rocksdb_db_bench.sh: --dir is required" >&2; exit 2; }
mkdir -p "$dir"

common=(--value_size="$value_size" --key_size="$key_size" --seed="$seed"
  --write_buffer_size=4194304 --block_size=4096 --bloom_bits=10 --cache_size=8388608
  --compression_type=none --disable_wal=false --sync=false
  --max_bytes_for_level_base=10485760 --target_file_size_base=2097152
  --seek_nexts=10 --histogram=false --statistics=false)

step=0
IFS=',' read -r -a list <<<"$benchmarks"
for workload in "${list[@]}"; do
  db="$dir/db" t="$threads" existing=1 name="$workload" extra=()
  case "$workload" in
    fillseq) existing=0 t=1 ;;
    fillrandom) existing=0 t=1 name=filluniquerandom ;;
    overwrite | deleterandom | compact | readseq | readreverse) t=1 ;;
    fillsync) existing=0 db="$dir/sync" t=1 extra=(--writes=$(( num / 1000 > 1 ? num / 1000 : 1 ))) ;;
    fillsync16) existing=0 db="$dir/sync" name=fillsync t=16 extra=(--writes=$(( num / 16000 > 1 ? num / 16000 : 1 ))) ;;
    readwhilewriting) t="$readers" ;;
  esac
  # Our read workloads split num operations among their threads; db_bench gives each thread num.
  case "$workload" in
    readrandom | readmissing | readhot | seekrandom | readwhilewriting)
      if [[ "$t" -gt 1 ]]; then extra=(--reads=$((num / t))); fi ;;
  esac
  echo "lsm-bench step $step $workload threads $t"
  "$db_bench" --benchmarks="$name" --db="$db" --use_existing_db="$existing" --num="$num" --threads="$t" \
    "${common[@]}" "${extra[@]}" 2>&1 | tr '\r' '\n' \
    | grep -E 'micros/op|^RocksDB: +version|^WARNING|unknown|[Ee]rror|[Ii]nvalid' || true
  rm -rf "$dir/sync"
  step=$((step + 1))
done
