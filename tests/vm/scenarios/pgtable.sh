# machines: vtd vtd-sm amd virtio plain vtd-next amd-next plain-next
# timeout: 150
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: what the IOMMU hardware really holds, read through
# debugfs. On the VT-d machines (legacy and scalable mode) a batch session
# maps a known layout into an IOAS -- 4 KiB pages with holes between them, a
# read-only range, two 2 MiB hugetlb pages -- attaches the edu device and
# dumps its page table: the ranges must be exactly that layout, and `pgtable
# verify` must find no difference (physical addresses included, from
# /proc/self/pagemap). Verified against a second IOAS with other memory,
# permissions and ranges, it must name each difference. After an unmap the
# range is gone from the dump, and after a detach the device has no table.
# `pgtable context` and `iommu regs|invalidation|irte` are checked against
# the kernel's own text files. On the machines without VT-d, the commands
# exit 3 and say why -- except `iommu invalidation` on AMD-Vi with Linux
# 6.17+, which reads the command buffer (amd/iommu00/cmdbuf) and is checked
# slot by slot against the file.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

EDU=0000:00:03.0
DFS=/sys/kernel/debug/iommu/intel

# On machines without VT-d: exit 3, and a reason naming what is missing.
case $MACHINE in
  vtd|vtd-sm|vtd-next) ;;
  *)
    expect_rc 3 "$IOMMUCTL" pgtable dump --device $EDU
    run "$IOMMUCTL" pgtable dump --device $EDU 2>/tmp/err
    case $MACHINE in
      amd) grep -q 'AMD' /tmp/err || fail "no word on AMD-Vi in: $(cat /tmp/err)" ;;
    esac
    expect_rc 3 "$IOMMUCTL" pgtable context
    expect_rc 3 "$IOMMUCTL" iommu regs
    report "pgtable dump on $MACHINE: $(cat /tmp/err)"
    [ "$MACHINE" = amd ] || exit 0
    CMDBUF=/sys/kernel/debug/iommu/amd/iommu00/cmdbuf
    if [ ! -e $CMDBUF ]; then
      # before 6.17: empty amd/iommuXX directories
      expect_rc 3 "$IOMMUCTL" iommu invalidation
      run "$IOMMUCTL" iommu invalidation 2>/tmp/err
      grep -q '6\.17' /tmp/err || fail "no word on Linux 6.17 in: $(cat /tmp/err)"
      report "iommu invalidation on $(uname -r): $(cat /tmp/err)"
      exit 0
    fi
    # 6.17+: the command buffer against the file. The kernel may queue
    # commands between two reads: read it before and after iommuctl until
    # both reads are the same.
    n=0
    while :; do
      cat $CMDBUF >/tmp/cb.before
      json_to /tmp/cb.json "$IOMMUCTL" -j iommu invalidation
      json_to /tmp/cball.json "$IOMMUCTL" -j iommu invalidation --all iommu00
      cat $CMDBUF >/tmp/cb.after
      cmp -s /tmp/cb.before /tmp/cb.after && break
      n=$((n + 1))
      [ $n -lt 5 ] || fail "$CMDBUF changed between every two reads"
    done
    hdr='1s/^CMD Buffer Head Offset:\([0-9]*\) Tail Offset:\([0-9]*\)$/'
    head=$(sed -n "$hdr\\1/p" /tmp/cb.before)
    tail=$(sed -n "$hdr\\2/p" /tmp/cb.before)
    { [ -n "$head" ] && [ -n "$tail" ]; } || fail "no head and tail in: $(sed -n 1p /tmp/cb.before)"
    # every slot as "INDEX 0xDW0 0xDW1 0xDW2 0xDW3"
    awk 'NR > 1 { s = $1; sub(/:$/, "", s)
      for (i = 2; i <= 5; i++) { w = $i; sub(/^0+/, "", w); s = s " 0x" (w == "" ? "0" : w) }
      print s }' /tmp/cb.before >/tmp/cb.want
    jq -r '.units[0].descriptors[] | "\(.index) \(.dw | join(" "))"' /tmp/cball.json >/tmp/cb.got
    cmp -s /tmp/cb.want /tmp/cb.got ||
      { diff /tmp/cb.want /tmp/cb.got | head -20; fail "the slots differ from $CMDBUF"; }
    nonzero=$(grep -vc ': 00000000 00000000 00000000 00000000$' /tmp/cb.before)
    check_jsons /tmp/cb.json \
      '.units | length == 1' \
      '.units[0] | .unit == "ivhd0" and .debugfs == "iommu00"' \
      ".units[0].head == $head and .units[0].tail == $tail" \
      "(.units[0].descriptors | length) == $((nonzero - 1))" \
      '[.units[0].descriptors[] | select(.type == "COMPLETION_WAIT")] | length > 0' \
      '[.units[0].descriptors[] | select(.type == "unknown")] | length == 0'
    check_json "(.units[0].descriptors | length) == $(($(wc -l </tmp/cb.before) - 1))" /tmp/cball.json
    run "$IOMMUCTL" iommu invalidation ivhd0 >/tmp/cb.txt
    assert_eq "$RC" 0 "iommu invalidation ivhd0"
    grep -q '^ivhd0 (debugfs iommu00): command buffer, head [0-9]*, tail [0-9]*' /tmp/cb.txt ||
      fail "no unit line in: $(head -2 /tmp/cb.txt)"
    expect_rc 1 "$IOMMUCTL" iommu invalidation ivhd7
    # what has no file on AMD-Vi says what this kernel has instead
    run "$IOMMUCTL" pgtable context 2>/tmp/err
    assert_eq "$RC" 3 "pgtable context"
    grep -q 'amd/devtbl' /tmp/err || fail "no word on amd/devtbl in: $(cat /tmp/err)"
    grep -q '6\.17 added' /tmp/err && fail "a 6.17+ kernel told it lacks 6.17: $(cat /tmp/err)"
    report "iommu invalidation on $(uname -r): head $head, tail $tail, $((nonzero - 1)) slots written"
    exit 0 ;;
esac

case $MACHINE in vtd) mode=legacy pasid=null ;; vtd-sm|vtd-next) mode=scalable pasid=0 ;; esac

# --- 1. registers, invalidation queue and IRTEs against the kernel's text
json_to /tmp/regs.json "$IOMMUCTL" -j iommu regs dmar0
gsts=$(awk '$1 == "GSTS" { print $3 }' $DFS/iommu_regset)
rtaddr=$(awk '$1 == "RTADDR" { print $3 }' $DFS/iommu_regset)
ttm=$(( (rtaddr >> 10) & 3 ))
case $ttm in 0) want_mode=legacy ;; 1) want_mode=scalable ;; *) want_mode=other ;; esac
assert_eq "$want_mode" "$mode" "RTADDR.TTM of $rtaddr"
check_jsons /tmp/regs.json \
  '.units | length == 1' \
  '.units[0].unit == "dmar0"' \
  '[.units[0].registers[] | select(.name == "GSTS") | .value | ltrimstr("0x") | ascii_downcase] == ["'"$(printf '%x' "$gsts")"'"]' \
  '.units[0].register_state.translation == '"$([ $(( (gsts >> 31) & 1 )) = 1 ] && echo true || echo false)" \
  '.units[0].register_state.queued_invalidation == '"$([ $(( (gsts >> 26) & 1 )) = 1 ] && echo true || echo false)" \
  '.units[0].register_state.interrupt_remapping == '"$([ $(( (gsts >> 25) & 1 )) = 1 ] && echo true || echo false)" \
  ".units[0].register_state.mode == \"$mode\""

json_to /tmp/iq.json "$IOMMUCTL" -j iommu invalidation dmar0
head=$(sed -n 's/.*Head: \([0-9]*\).*/\1/p' $DFS/invalidation_queue)
bits=128
grep -q 'qw2' $DFS/invalidation_queue && bits=256
check_jsons /tmp/iq.json \
  ".units[0].descriptor_bits == $bits" \
  '.units[0].head | type == "number"' \
  '[.units[0].descriptors[] | select(.type == "wait")] | length > 0'
log "invalidation queue head $head (the kernel moves it between reads)"

json_to /tmp/irte.json "$IOMMUCTL" -j iommu irte dmar0
nirte=$(sed -n '/^Remapped/,/^$/p' $DFS/ir_translation_struct | grep -c '^ [0-9]')
nic_vec=$(sed -n '/^Remapped/,/^$/p' $DFS/ir_translation_struct | awk '$2 == "00:04.0" { print $4; exit }')
check_jsons /tmp/irte.json \
  ".units[0].remapping.enabled == true" \
  "(.units[0].remapping.entries | length) == $nirte" \
  '[.units[0].remapping.entries[] | select(.source_id == "00:04.0")][0] | .device == "0000:00:04.0" and .vector == '"$((0x$nic_vec))"

# --- 2. context entries against dmar_translation_struct
export IOMMUCTL_RUN_DIR=/run/iommuctl
ok "$IOMMUCTL" vfio bind $EDU
trap '"$IOMMUCTL" vfio restore $EDU' EXIT
json_to /tmp/ctx.json "$IOMMUCTL" -j pgtable context --device $EDU
row=$(grep '^00:03.0' $DFS/dmar_translation_struct | head -1)
ctx_hi=$(echo "$row" | awk '{ split($3, c, ":"); print c[1] }')
# (the kernel prints the PASID entry's qwords high first: val[2]:val[1]:val[0])
pe0=$(echo "$row" | awk '{ split($5, p, ":"); print p[3] }')
pe1=$(echo "$row" | awk '{ split($5, p, ":"); print p[2] }')
case $mode in
  legacy) did=$(( (ctx_hi >> 8) & 0xffff )) type=multi-level ;;
  # the PASID entry's PGTT (bits 8:6): first-stage tables where the IOMMU
  # has them and the kernel chose them (vtd-next: QEMU 11.1 fsts=on)
  scalable)
    did=$(( pe1 & 0xffff ))
    case $(( (pe0 >> 6) & 7 )) in
      1) type=first-stage ;; 2) type=second-stage ;; 3) type=nested ;; 4) type=pass-through ;;
      *) type=other ;;
    esac ;;
esac
# the table's depth, from the entry: legacy and second-stage say it in AW
# (1: 39 bits, 3 levels; 2: 48, 4; 3: 57, 5), first-stage in the FLPM bits
# of the PASID entry's third qword (0: 4 levels, 48 bits; 1: 5, 57)
if [ "$type" = first-stage ]; then
  pe2=$(echo "$row" | awk '{ split($5, p, ":"); print p[1] }')
  levels=$(( 4 + ((pe2 >> 2) & 3) ))
else
  case $mode in legacy) awf=$(( ctx_hi & 7 )) ;; *) awf=$(( (pe0 >> 2) & 7 )) ;; esac
  levels=$(( awf + 2 ))
fi
aw=$(( 30 + 9 * (levels - 2) ))
check_jsons /tmp/ctx.json \
  "[.units[].entries[]] | length == 1" \
  ".units[0].mode == \"$mode\"" \
  ".units[0].entries[0] | .device == \"$EDU\" and .pasid == $pasid and .type == \"$type\" and .domain_id == $did and .present == true" \
  ".units[0].entries[0].address_width == $aw and .units[0].entries[0].levels == $levels"

# --- 3. a session with a known layout
echo 8 >/proc/sys/vm/nr_hugepages
[ "$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)" -ge 4 ] || fail "no 2 MiB hugetlb pages"
cat >/tmp/layout.batch <<B
ioas create --name a
ioas map a --size 16k --iova 0x100000
ioas map a --size 8k --iova 0x110000 --perm r
ioas map a --hugetlb 2M --size 4M --iova 0x400000
device bind $EDU --name d
device attach d --pt a
@dump pgtable dump --device $EDU --merge iova --no-progress
@raw pgtable dump --device $EDU --merge none --raw --no-progress
@verify pgtable verify d
ioas create --name b
ioas map b --size 16k --iova 0x100000
ioas map b --size 8k --iova 0x110000
ioas map b --size 64k --iova 0x2000000
@verify_b pgtable verify d --ioas b
ioas unmap a --iova 0x110000 --size 8k
@dump_unmapped pgtable dump --device $EDU --merge iova --no-progress
@verify_unmapped pgtable verify d
device detach d
@dump_detached pgtable dump --device $EDU --no-progress
@dump_pasid pgtable dump --device $EDU --pasid 5 --no-progress
B
echo "+ $IOMMUCTL batch --results --keep-going /tmp/layout.batch"
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/layout.batch >/tmp/layout.out 2>/tmp/layout.err
RC=$?
set -e
sed 's/^/  err| /' /tmp/layout.err
# the first failing line is the verify against b (differences: exit 1)
assert_eq "$RC" 1 "batch exit status"
# each line's document under its tag (a dump is the line's result, whole)
by_tag /tmp/layout.out /tmp/r.json 20

# the dump is the layout, exactly
# shellcheck disable=SC2016
check_jsons /tmp/r.json \
  ".dump.result | .device == \"$EDU\" and .state == \"table\" and .pasid == $pasid and .levels == $levels" \
  '[.dump.result.ranges[] | [.start, .last, .page_size, .read, .write]] == [["0x100000", "0x103fff", 4096, true, true], ["0x110000", "0x111fff", 4096, true, false], ["0x400000", "0x7fffff", 2097152, true, true]]' \
  '.dump.result.summary | .leaves == 8 and .bytes == 4218880' \
  '.raw.result | (.ranges | length) == 8 and all(.ranges[]; .leaves == 1 and (.entries | length) == 5)' \
  '[.raw.result.ranges[] | select(.page_size == 2097152)] | length == 2' \
  '.verify.exit == 0 and (.verify.result.verified | length == 1)' \
  '.verify.result.verified[0] | .match == true and .differences == [] and .mappings == 3 and .bytes == 4218880 and .leaves == 8' \
  '.verify.result.verified[0].phys_checked == true'
# against another IOAS: each difference named
check_jsons /tmp/r.json \
  '.verify_b.exit == 1 and .verify_b.result.verified[0].match == false' \
  'any(.verify_b.result.verified[0].differences[]; .kind == "phys" and .start == "0x100000")' \
  'any(.verify_b.result.verified[0].differences[]; .kind == "perm" and .start == "0x110000" and .last == "0x111fff" and .want == "rw" and .have == "r-")' \
  'any(.verify_b.result.verified[0].differences[]; .kind == "extra" and .start == "0x400000" and .last == "0x7fffff")' \
  'any(.verify_b.result.verified[0].differences[]; .kind == "missing" and .start == "0x2000000" and .last == "0x200ffff")'
# after the unmap
check_jsons /tmp/r.json \
  '[.dump_unmapped.result.ranges[] | [.start, .last]] == [["0x100000", "0x103fff"], ["0x400000", "0x7fffff"]]' \
  '.verify_unmapped.result.verified[0].match == true and .verify_unmapped.result.verified[0].mappings == 2'
# detached: the device is blocked, no table
check_jsons /tmp/r.json \
  '.dump_detached.result | .state == "no-table" and (.ranges | length) == 0' \
  '.dump_pasid | .exit == 1 and .result == null and (.error.error | test("PASID (0x)?5"; "i"))'
grep -q 'PASID 5\|pasid 5' /tmp/layout.err || fail "no word on PASID 5 in the errors"

# text output: the same numbers
cat >/tmp/text.batch <<B
ioas create --name a
ioas map a --hugetlb 2M --size 2M --iova 0x400000
device bind $EDU --name d
device attach d --pt a
pgtable dump --device $EDU --no-progress
pgtable verify
B
run "$IOMMUCTL" batch /tmp/text.batch >/tmp/text.out 2>&1
sed 's/^/  | /' /tmp/text.out
assert_eq "$RC" 0 "text batch"
grep -q '0x400000 *0x5fffff' /tmp/text.out || fail "no 0x400000-0x5fffff range in the text dump"
grep -q 'match' /tmp/text.out || fail "verify did not say match"

trap - EXIT
ok "$IOMMUCTL" vfio restore $EDU
report "pgtable on $MACHINE ($mode): layout dumped and verified, differences against another IOAS named"
