# machines: plain plain-next
# timeout: 400
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: the kernel fails a call part-way, for real. For each
# session operation that makes kernel objects, a batch builds what the
# operation needs, runs it once (tag @op), then lists the session's objects
# (@graph). The LD_PRELOAD library failnth.so (tests/vm/progs/preload) arms
# /proc/thread-self/fail-nth around that one ioctl, so that the Nth
# fault-injection point inside it fails: a slab or page allocation (failslab
# and fail_page_alloc are told to fail sleeping allocations too) or the
# selftest's own error points (fail_iommufd). N runs 1, 2, ... until the
# call goes through without reaching the Nth point. At the batch's exit the
# library sweeps the iommufd (IOMMU_DESTROY on every id, newest first,
# through a duplicate descriptor): the ids the kernel still holds. Each run
# must show:
#   - the setup lines succeeded;
#   - the operation either succeeded, or failed with an error that names it
#     (per operation, a pattern) and carries the errno;
#   - the session's graph is exactly what the kernel holds: the ids of
#     @graph (with each mock device's selftest object id) equal the sweep's
#     (an access has no id userspace can name: it is not swept);
#   - once no fault was injected, the operation succeeded.
# The range of N and the errnos seen are reported per operation.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

require_prog failnth.so
fi=/sys/kernel/debug
[ -e /proc/self/fail-nth ] || fail "no /proc/self/fail-nth (the test kernel has CONFIG_FAULT_INJECTION)"
# fail sleeping (GFP_KERNEL) allocations too, and quietly (no stack dump per fault)
for a in failslab fail_page_alloc; do
  [ -d "$fi/$a" ] || continue
  echo N >"$fi/$a/ignore-gfp-wait"
  echo 0 >"$fi/$a/verbose"
done
has_viommu=$("$IOMMUCTL" -j probe | jq '.ioctls[] | select(.name == "IOMMU_VIOMMU_ALLOC") | .present')

# iommufd's ioctl numbers: _IO(';' = 0x3b, 0x80 + command index), fixed by the kernel ABI
IOAS_ALLOC=0x3b81 IOAS_COPY=0x3b83 IOAS_MAP=0x3b85 HWPT_ALLOC=0x3b89 FAULT_QUEUE_ALLOC=0x3b8e
VIOMMU_ALLOC=0x3b90 VDEVICE_ALLOC=0x3b91 TEST_CMD=0x3ba0
# IOMMU_TEST_CMD ops (the selftest's ABI): mock device, its replace, an access
MOCK_DOMAIN=2 MOCK_DOMAIN_REPLACE=10 CREATE_ACCESS=5

mkdir -p /tmp/f
# run_op NAME REQUEST[:TEST_OP] SKIP 'SETUP LINES' 'OPERATION' 'ERROR PATTERN': the runs for
# N = 1, 2, ... (TEST_OP: the IOMMU_TEST_CMD op the call must carry; SKIP: so many matching
# calls go through first)
run_op() {
  _name=$1 _req=${2%%:*} _top=${2#*:} _skip=$3 _setup=$4 _op=$5 _pat=$6 _n=1
  [ "$_top" != "$2" ] || _top=
  : >"/tmp/f/$_name.all"
  while :; do
    printf '%s\n@op %s\n@graph objects\n' "$_setup" "$_op" >/tmp/f/b
    rm -f /tmp/f/log
    env ${_top:+FAILNTH_OP=$_top} FAILNTH_IOCTL=$_req FAILNTH_SKIP=$_skip FAILNTH_NTH=$_n FAILNTH_SWEEP=1 FAILNTH_LOG=/tmp/f/log \
      LD_PRELOAD=/usr/bin/failnth.so "$IOMMUCTL" batch --results --keep-going /tmp/f/b \
      >/tmp/f/out 2>/tmp/f/err || true
    _inj=$(sed -n 's/^failnth: call=.* injected=\(.\) .*/\1/p' /tmp/f/log)
    [ -n "$_inj" ] || { cat /tmp/f/err /tmp/f/log; fail "$_name: the ioctl $_req was not made (N=$_n)"; }
    printf '{"n":%d,"injected":"%s","sweep":[%s]}\n' "$_n" "$_inj" \
      "$(sed -n 's/^failnth: sweep ids=//p' /tmp/f/log)" >>"/tmp/f/$_name.all"
    cat /tmp/f/out >>"/tmp/f/$_name.all"
    # (a call that makes a kernel object allocates: if the first run injected nothing, the
    #  call armed was another one, e.g. the session's probe of whether the ioctl exists)
    [ "$_inj" = Y ] || [ "$_n" -gt 1 ] ||
      fail "$_name: N=1 injected nothing into the ioctl $_req (SKIP $_skip): not the operation's call"
    [ "$_inj" = Y ] || break
    _n=$((_n + 1))
    [ "$_n" -le 150 ] || fail "$_name: still failing at N=150"
  done
  # one jq for all the runs of the operation
  jq -s --arg pat "$_pat" '
    reduce .[] as $d ([]; if $d.n then . + [$d + {lines: []}] else .[-1].lines += [$d] end)
    | map(. as $r | ($r.lines | map(select(.tag != null) | {(.tag): .}) | add // {}) as $t
      | {n, injected, sweep,
         setup_ok: ([$r.lines[] | select(.tag == null) | .exit] | all(. == 0)),
         exit: $t.op.exit, errno: $t.op.error.errno, error: ($t.op.error.error // ""),
         graph: ([$t.graph.result.objects[]? | (.id // empty), (.selftest_id // empty)] | sort)})
    | {runs: ., bad: [.[] | select(
         (.setup_ok | not) or (.graph != .sweep) or
         (.injected == "N" and .exit != 0) or
         (.exit != 0 and ((.errno | type) != "number" or (.error | test($pat) | not))))]}' \
    "/tmp/f/$_name.all" >"/tmp/f/$_name.json"
  if [ "$(jq '.bad | length' "/tmp/f/$_name.json")" != 0 ]; then
    jq -c '.bad[]' "/tmp/f/$_name.json" | head -n 5 | sed 's/^/  bad run: /'
    fail "$_name: a run broke the rules above"
  fi
  report "$_name: $(jq -r '.runs | "N=1..\(length - 1) injected: \([.[] | select(.injected == "Y" and .exit != 0)] | length) failed (errno \([.[] | select(.exit != 0) | .errno] | unique | map(tostring) | join(","))), \([.[] | select(.injected == "Y" and .exit == 0)] | length) absorbed; goes through from N=\(length)"' "/tmp/f/$_name.json")"
}

run_op ioas-create $IOAS_ALLOC 0 '' 'ioas create --name a' 'ioas'
run_op ioas-map $IOAS_MAP 0 'ioas create --name a' \
  'ioas map a --size 64k --iova 0x1000000' 'ioas 1 \(a\): cannot map'
run_op ioas-copy $IOAS_COPY 0 'ioas create --name a
ioas create --name b
ioas map a --size 64k --iova 0x1000000' \
  'ioas copy b --from a --src-iova 0x1000000 --size 64k --iova 0x2000000' 'copy'
run_op device-mock $TEST_CMD:$MOCK_DOMAIN 0 'ioas create --name a' 'device mock --ioas a --name m' 'mock'
run_op device-replace $TEST_CMD:$MOCK_DOMAIN_REPLACE 0 'ioas create --name a
ioas create --name b
device mock --ioas a --name m' 'device replace m --pt b' 'replace|attach'
# (a session asks once whether an ioctl newer than 6.0 exists: that first call is skipped)
run_op hwpt-alloc $HWPT_ALLOC 1 'ioas create --name a
device mock --ioas a --name m' 'hwpt alloc --device m --ioas a --nest-parent --name np' 'hwpt'
run_op hwpt-nested $HWPT_ALLOC 2 'ioas create --name a
device mock --ioas a --name m
hwpt alloc --device m --ioas a --nest-parent --name np' \
  'hwpt alloc --device m --parent np --data-type selftest --iotlb 7 --name n' 'hwpt'
run_op fault-create $FAULT_QUEUE_ALLOC 1 '' 'fault create --name fq' 'fault'
run_op access-create $TEST_CMD:$CREATE_ACCESS 0 'ioas create --name a
device mock --ioas a --name m' 'access create --ioas a --needs-pin --name acc' 'access'
if [ "$has_viommu" = true ]; then
  run_op viommu-alloc $VIOMMU_ALLOC 1 'ioas create --name a
device mock --ioas a --name m
hwpt alloc --device m --ioas a --nest-parent --name np' \
    'viommu alloc --device m --hwpt np --type selftest --name v' 'viommu'
  run_op vdevice-alloc $VDEVICE_ALLOC 1 'ioas create --name a
device mock --ioas a --name m
hwpt alloc --device m --ioas a --nest-parent --name np
viommu alloc --device m --hwpt np --type selftest --name v' \
    'vdevice alloc --viommu v --device m --virt-id 5 --name vd' 'vdevice'
fi
