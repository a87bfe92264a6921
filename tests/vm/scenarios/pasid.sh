# machines: plain plain-next
# timeout: 90
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: the PASIDs of a selftest mock device, one `batch`
# session. Linux 7.3 has them (MOCK_FLAGS_DEVICE_PASID and the selftest's
# PASID_ATTACH/REPLACE/DETACH/CHECK_HWPT ops, 6.15): a mock made with
# `device mock --pasid-capable` is attached, replaced and detached at PASIDs
# with `device attach|replace|detach --pasid`. Ground truth is the kernel's
# own answers: GET_HW_INFO's PASID width (20 bits for such a mock, 0 for a
# plain one), the errno of every refusal, and PASID_CHECK_HWPT. A test
# program cannot reach the session's iommufd (a second process would have
# its own objects), so the kernel is asked inside the session with `device
# pasid-check DEV --pasid N [--pt HWPT]`: the hwpt there is the one this
# script allocated (by tag), not what the session recorded, and the kernel
# compares it with the domain really attached at the PASID; it is asked
# both for the hwpt the PASID should have and for the one it must no
# longer have, and for "nothing" after the detach. The session's record
# (`device show` of the mock: pasids, each with the kernel's confirmation)
# must agree with those answers. Refusals must name the reason: a hwpt
# allocated without --pasid, the device's own attachment not
# PASID-compatible, PASID 0, a PASID beyond the 20-bit width, a mock made
# without --pasid-capable (width 0), and the selftest's reserved PASID 1024,
# whose every second attach fails on purpose (ENOMEM) and whose old
# attachment the kernel keeps (checked with PASID_CHECK_HWPT). The 7.3
# selftest also refuses `--huge-iova` (the flag was removed): exit 3
# saying so. Linux 6.12 has none of it: `--pasid-capable` and a PASID
# attach exit 3 naming 6.15, while `--huge-iova` still works there.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

# batch_tags FILE N: runs the batch FILE (refusals expected), its documents by tag in /tmp/r.json
batch_tags() {
  echo "+ iommuctl batch --results --keep-going $1"
  set +e
  "$IOMMUCTL" batch --results --keep-going "$1" >/tmp/b.json 2>/tmp/b.err
  set -e
  sed 's/^/  stderr| /' /tmp/b.err
  by_tag /tmp/b.json /tmp/r.json "$2"
  # each line's exit and refusal, for the log
  jq -r 'to_entries[] | "  \(.key): exit \(.value.exit) \(.value.error.error // "")"' /tmp/r.json
}

if [ "$(uname -r | cut -d. -f1)" -lt 7 ]; then
  cat >/tmp/p.batch <<'EOF'
@a ioas create --name a
@m device mock --ioas a --name m
@capable device mock --ioas a --pasid-capable
@att device attach m --pt a --pasid 5
@check device pasid-check m --pasid 5
@huge device mock --ioas a --huge-iova --name huge
@show device show m
EOF
  batch_tags /tmp/p.batch 7
  check_jsons /tmp/r.json \
    '.m.exit == 0 and .m.result.mock == true' \
    '.capable | .exit == 3 and .error.errno == 25 and (.error.error | test("no PASIDs for mock devices .*added in Linux 6\\.15"))' \
    '.att | .exit == 3 and .error.errno == 25 and (.error.error | test("PASID 5.*added in Linux 6\\.15"))' \
    '.check | .exit == 3 and (.error.error | test("6\\.15"))' \
    '.huge.exit == 0 and .huge.result.name == "huge"' \
    '.show.result.pasids == []'
  report "6.12: $(jq -r '.capable.error.error' /tmp/r.json)"
  exit 0
fi

cat >/tmp/p.batch <<'EOF'
@a ioas create --name a
@huge device mock --ioas a --huge-iova
@plainm device mock --ioas a --name plainm
@m device mock --ioas a --pasid-capable --name m
@hw device hw-info m
@hw_plain device hw-info plainm
@np hwpt alloc --device m --ioas a --name np
@p1 hwpt alloc --device m --ioas a --pasid --name p1
@p2 hwpt alloc --device m --ioas a --pasid --name p2
@rid_auto device attach m --pt p1 --pasid 5
@to_ioas device attach m --pt a --pasid 5
@rid device replace m --pt p1
@no_flag device attach m --pt np --pasid 5
@zero device attach m --pt p2 --pasid 0
@range device attach m --pt p2 --pasid 1048576
@k_none device pasid-check m --pasid 5
@att device attach m --pt p2 --pasid 5
@k_att device pasid-check m --pasid 5 --pt p2
@k_att_not device pasid-check m --pasid 5 --pt p1
@show_att device show m
@busy hwpt destroy p2
@rep device attach m --pt p1 --pasid 5
@k_rep device pasid-check m --pasid 5 --pt p1
@k_rep_not device pasid-check m --pasid 5 --pt p2
@show_rep device show m
@top device attach m --pt p2 --pasid 1048575
@r1 device attach m --pt p1 --pasid 1024
@r2 device replace m --pt p2 --pasid 1024
@k_r2 device pasid-check m --pasid 1024 --pt p1
@r3 device replace m --pt p2 --pasid 1024
@k_r3 device pasid-check m --pasid 1024 --pt p2
@rid_back device replace m --pt a
@plain_rid device replace plainm --pt p1
@plain_att device attach plainm --pt p2 --pasid 5
@det device detach m --pasid 5
@k_det device pasid-check m --pasid 5
@det_again device detach m --pasid 5
@det_top device detach m --pasid 1048575
@det_1024 device detach m --pasid 1024
@show_det device show m
@rid_free device replace m --pt a
@rm_p2 hwpt destroy p2
EOF
batch_tags /tmp/p.batch 42
check_jsons /tmp/r.json \
  '.huge | .exit == 3 and .error.errno == 25 and (.error.error | test("no huge-IOVA mock devices.*removed in Linux 6\\.19.*EINVAL"))' \
  '.hw.result.max_pasid_log2 == 20 and .hw_plain.result.max_pasid_log2 == 0' \
  '.p1.result.flags == ["pasid"] and .np.result.flags == []' \
  '.rid_auto.error | .errno == 22 and (.error | test("PASID 5 of device [0-9]+ \\(m\\): refused, the device itself is attached to hwpt [0-9]+, which is not PASID-compatible \\(an automatic hwpt\\)"))' \
  '.to_ioas.error | .errno == 22 and (.error | test("cannot attach to ioas [0-9]+ \\(a\\) itself here"))' \
  '.rid.exit == 0 and .rid.result.attached == .p1.result.id' \
  '.no_flag.error | .errno == 22 and (.error | test("hwpt [0-9]+ \\(np\\) was not allocated with --pasid"))' \
  '.zero.error | .errno == 22 and (.error | test("PASID 0 is the device itself"))' \
  '.range.error | .errno == 22 and (.error | test("PASID 1048576 .*out of range, its IOMMU reports a PASID width of 20 bits .*PASIDs 1-1048575"))' \
  '.k_none.result.kernel_confirms == true' \
  '.att.exit == 0' \
  '.k_att.result.kernel_confirms == true and .k_att.result.hwpt == .p2.result.id' \
  '.k_att_not.result.kernel_confirms == false' \
  '.show_att.result.pasids == [{"pasid": 5, "hwpt": .p2.result.id, "confirmed": true}]' \
  '.busy.error | .errno == 16 and (.error | test("\\(p2\\) is in use by device [0-9]+ \\(m\\)"))' \
  '.rep.exit == 0 and .k_rep.result.kernel_confirms == true and .k_rep_not.result.kernel_confirms == false' \
  '.show_rep.result.pasids == [{"pasid": 5, "hwpt": .p1.result.id, "confirmed": true}]' \
  '.top.exit == 0' \
  '.r1.exit == 0' \
  '.r2.error | .errno == 12 and (.error | test("every second attach of PASID 1024 on purpose .*kept the previous attachment"))' \
  '.k_r2.result.kernel_confirms == true' \
  '.r3.exit == 0 and .k_r3.result.kernel_confirms == true' \
  '.rid_back.error | .errno == 22 and (.error | test("has 3 PASID\\(s\\) attached .*must be PASID-compatible too"))' \
  '.plain_rid.exit == 0' \
  '.plain_att.error | .errno == 22 and (.error | test("the device has no PASIDs \\(its IOMMU reports a PASID width of 0 bits.*created with --pasid-capable"))' \
  '.det.exit == 0 and .k_det.result.kernel_confirms == true' \
  '.det_again.error | .errno == 2 and (.error | test("PASID 5 of device [0-9]+ \\(m\\) is not attached"))' \
  '.det_top.exit == 0 and .det_1024.exit == 0' \
  '.show_det.result.pasids == []' \
  '.rid_free.exit == 0 and .rm_p2.exit == 0'
report "7.3: $(jq -r '.rid_auto.error.error' /tmp/r.json)"
report "7.3: $(jq -r '.r2.error.error' /tmp/r.json)"
report "7.3: $(jq -r '.huge.error.error' /tmp/r.json)"
