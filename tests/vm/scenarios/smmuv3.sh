# machines: arm64-smmuv3 arm64-next
# timeout: 240
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: the Arm SMMUv3 as iommuctl decodes it, against what
# the guest reads itself. Ground truth: the driver's boot line in dmesg
# ("arm-smmu-v3 DEV: [ias N-bit, ]oas N-bit (features 0x...)", whose word is
# the driver's ARM_SMMU_FEAT_* bits: s1 = bit 9, s2 = bit 10, nesting = bit
# 19), the group's sysfs reserved_regions of the edu, and the kernel's own
# answers to iommufd ioctls in one batch session. Checks:
# - iommu show: the boot line (oas, features, the names of bits 9/10/19)
#   equals dmesg; on 7.3 (IOMMU_GET_HW_INFO of type arm-smmuv3) the IDRs
#   are decoded and agree with the driver's word (stage 1/2, nesting, oas)
#   and give no SubstreamIDs (QEMU refuses ssidsize > 0 without accel=on),
#   with the reason a PASID attach cannot work, and the kernel refuses one
#   (EINVAL, explained by SSIDSIZE 0); on 6.12 (type none) it says why there
#   are no registers instead of printing nothing, and that 6.12 has no PASID
#   attach for VFIO devices.
# - hwinfo: the same summary and, in the pasid readiness line, the reason.
# - msi: the edu's group window (sysfs: an "msi" region) is software
#   managed, decided from the arm-smmu-v3 driver, not from the address.
# - ioas ranges after attaching the edu: the usable ranges leave exactly
#   the sysfs msi region out, and the hole is labelled with it (software
#   MSI window, the group, the device); a map into it is refused by the
#   kernel with EINVAL and the error names the window and the device.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

unit=
for u in /sys/class/iommu/smmu3.*; do [ -e "$u" ] && { unit=${u##*/}; break; }; done
[ -n "$unit" ] || fail "no SMMUv3 unit in /sys/class/iommu"
# the edu on the root bus (00:02.0 on virt)
bdf=$(for d in /sys/bus/pci/devices/0000:00:*; do
  [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && { echo "${d##*/}"; break; }
done)
[ -n "$bdf" ] || fail "no edu device on the root bus"

# ground truth 1: the driver's boot line
line=$(dmesg | grep 'arm-smmu-v3 .*oas [0-9]*-bit (features 0x' | head -1)
[ -n "$line" ] || fail "no arm-smmu-v3 boot line in dmesg"
log "dmesg: $line"
oas=$(echo "$line" | sed 's/.*oas \([0-9]*\)-bit.*/\1/')
# Linux 6.x prints "ias N-bit, " before oas; 7.x does not
ias=$(echo "$line" | sed -n 's/.*: ias \([0-9]*\)-bit, .*/\1/p')
feat=$(echo "$line" | sed 's/.*(features 0x\([0-9a-f]*\)).*/\1/')
featn=$((0x$feat))
s1=$(( (featn >> 9) & 1 )); s2=$(( (featn >> 10) & 1 )); nest=$(( (featn >> 19) & 1 ))
bool() { [ "$1" = 1 ] && echo true || echo false; }

ok "$IOMMUCTL" vfio bind "$bdf"
trap '"$IOMMUCTL" vfio restore "$bdf" >/dev/null 2>&1 || true' EXIT
# ground truth 2: the edu group's msi region, from sysfs
grp=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")
msi=$(grep ' msi$' "/sys/kernel/iommu_groups/$grp/reserved_regions" | head -1)
[ -n "$msi" ] || fail "group $grp has no msi reserved region"
mstart=$(printf '0x%x' "$(echo "$msi" | cut -d' ' -f1)")
mlast=$(printf '0x%x' "$(echo "$msi" | cut -d' ' -f2)")
after=$(printf '0x%x' $(($(echo "$msi" | cut -d' ' -f2) + 1)))
log "group $grp msi window $mstart-$mlast"

cat >/tmp/s.batch <<EOF
@show iommu show $unit
@msi msi
ioas create --name a
@edu device bind $bdf --name edu
@attach device attach edu --pt a
@ranges ioas ranges a
@inwin ioas map a --size 4k --iova $mstart
@outwin ioas map a --size 4k --iova $after
@hw device hw-info edu
@pasid device attach edu --pt a --pasid 1
EOF
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/s.batch >/tmp/s.json 2>/tmp/s.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/s.err
[ "$RC" -eq 1 ] || fail "batch exited $RC, expected 1 (the map into the window and the PASID attach are refused)"
by_tag /tmp/s.json /tmp/r.json 10

check_jsons /tmp/r.json \
  ".show.result.arm_smmuv3.boot_log | .oas_bits == $oas and .features == \"$(printf '0x%x' "$featn")\" and .ias_bits == ${ias:-null}" \
  ".show.result.arm_smmuv3.boot_log.feature_names | (index(\"s1\") != null) == $(bool $s1) and (index(\"s2\") != null) == $(bool $s2) and (index(\"nesting\") != null) == $(bool $nest)" \
  ".msi.result.windows[] | select(.group == $grp) | .kind == \"sw\" and .start == \"$mstart\" and (.basis | test(\"arm-smmu driver\"))" \
  ".ranges.result.ranges | any(.last == \"$(printf '0x%x' $((mstart - 1)))\") and any(.start == \"$after\")" \
  ".ranges.result.holes[] | select(.start == \"$mstart\") | .last == \"$mlast\" and (.reserved_by | test(\"\\\\(msi\\\\) of group $grp, device [0-9]+ \\\\(edu\\\\), $bdf: a software MSI window: .*IOMMU_RESV_SW_MSI\"))" \
  '.inwin.error.errno == 22' \
  ".inwin.error.error | test(\"overlaps reserved IOVA range $mstart-$mlast .*\\\\(msi\\\\) of group $grp, .*$bdf: a software MSI window\")" \
  '.outwin.exit == 0'

if [ "$(jq -r '.hw.result.type' /tmp/r.json)" = arm-smmuv3 ]; then
  # 7.3: the registers, decoded, agree with the driver's word
  check_jsons /tmp/r.json \
    ".show.result.arm_smmuv3.registers_via == \"$bdf\"" \
    ".show.result.arm_smmuv3.summary | .stage1 == $(bool $s1) and .stage2 == $(bool $s2) and .nesting == $(bool $nest) and .linux_oas_bits == $oas" \
    '.show.result.arm_smmuv3.summary | .ssid_bits == 0 and .pasid_capable == false and (.pasid_why | test("SSIDSIZE 0"))' \
    '.hw.result.max_pasid_log2 == 0 and .hw.result.data.summary.ssid_bits == 0' \
    '.pasid.error | .errno == 22 and (.error | test("PASID width of 0 bits.*SSIDSIZE 0"))'
  json_to /tmp/h.json "$IOMMUCTL" -j hwinfo "$bdf"
  check_jsons /tmp/h.json \
    '.ready[] | select(.name == "pasid") | .ready != true and (.how | test("SubstreamIDs"))'
  report "registers: $(jq -c '.show.result.arm_smmuv3 | [.idr0, .idr1, .idr3, .idr5]' /tmp/r.json)"
else
  # 6.12: no registers, and iommuctl says why
  check_jsons /tmp/r.json \
    '.hw.result.type == "none"' \
    '.pasid.error | .errno == 22 and (.error | test("before 6.15 have no PASID attach"))' \
    '.show.result.arm_smmuv3.registers_why | test("answers IOMMU_GET_HW_INFO for .* with type none.*6.14")'
fi
# the text forms of the same answers (shown in the log; they must not fail)
ok "$IOMMUCTL" iommu show --fields "$unit"
ok "$IOMMUCTL" ioas ranges --device "$bdf"
report "boot line: oas $oas features 0x$feat; window $mstart-$mlast (group $grp)"
trap - EXIT
ok "$IOMMUCTL" vfio restore "$bdf"
