# machines: plain
# timeout: 1200
# bench-only: runs only when named (tests/bench/session, 'make bench'), never in make check
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: the cost of a session. One `iommuctl batch` session
# runs N "ioas map --size 4k --iova 0x100000" / "ioas unmap" pairs on one
# IOAS; ioas-loop issues the same system calls directly (mmap and fault-in,
# IOMMU_IOAS_MAP, IOMMU_IOAS_UNMAP, munmap) in the same guest. Both are
# timed from exec to exit by timeit, alternately, RUNS times; the medians
# give the ratio (target: at most 1.15x). The answers are checked first
# on a short run: every line of the batch succeeded at the IOVA asked for.
# Results are REPORT lines; nothing here is a timed assertion.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e
require_prog ioas-loop timeit

n=${BENCH_PAIRS:-10000} runs=${BENCH_RUNS:-5}
# mkbatch N FILE [t]: the batch of N pairs; with t each line tagged (@map1, @unmap1, ...)
mkbatch() {
  awk -v n="$1" -v t="${3:-}" 'BEGIN {
    print "ioas create --name a"
    for (i = 1; i <= n; i++) {
      print (t ? "@map" i " " : "") "ioas map a --size 4k --iova 0x100000"
      print (t ? "@unmap" i " " : "") "ioas unmap a --iova 0x100000 --size 4k"
    } }' >"$2"
}

# the answers: 3 pairs, every line ran and did what it says
mkbatch 3 /tmp/check.batch t
"$IOMMUCTL" batch --results /tmp/check.batch >/tmp/check.out ||
  { cat /tmp/check.out; fail "the batch of 3 pairs failed"; }
by_tag /tmp/check.out /tmp/check.json 7
check_jsons /tmp/check.json \
  '[.map1, .map2, .map3] | all(.exit == 0 and .result.iova == "0x100000")' \
  '[.unmap1, .unmap2, .unmap3] | all(.exit == 0 and .result.unmapped_bytes == 4096)'
ok ioas-loop 3 4096 0x100000

mkbatch "$n" /tmp/bench.batch
: >/tmp/batch.t; : >/tmp/loop.t
i=0
while [ "$i" -lt "$runs" ]; do
  timeit "$IOMMUCTL" batch /tmp/bench.batch >>/tmp/batch.t || fail "iommuctl batch failed"
  timeit ioas-loop "$n" 4096 0x100000 >>/tmp/loop.t || fail "ioas-loop failed"
  i=$((i + 1))
done
# median of column 1 (wall), and the user and sys of that run
med() { sort -n "$1" | awk -v r="$runs" 'NR == int((r + 1) / 2) { print }'; }
set -- $(med /tmp/batch.t) $(med /tmp/loop.t)
report "session overhead: $n map/unmap pairs, median of $runs: batch $(($1 / 1000)) ms (user $(($2 / 1000)), sys $(($3 / 1000))), ioas-loop $(($4 / 1000)) ms (user $(($5 / 1000)), sys $(($6 / 1000)))"
report "session overhead: ratio $(awk -v a="$1" -v b="$4" 'BEGIN { printf "%.3f", a / b }')x (target 1.15x)"
