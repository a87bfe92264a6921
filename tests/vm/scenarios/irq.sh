# machines: vtd-noir vtd-noir-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: interrupt remapping off (VT-d with intremap=off).
# The guest first proves it to itself: no interrupt chip of a remapping
# domain in /proc/interrupts (IO-APIC, not IR-IO-APIC), no "Enabled IRQ
# remapping" in dmesg, ECAP.IR clear in the unit's sysfs ecap. Then `msi`,
# `status` and `vfio bind` must say MSIs are not isolated. The kernel's
# refusal is read from the kernel itself: iommuctl's iommufd bind (hwinfo)
# gets EPERM from iommufd_device_bind(), which logs nothing when it refuses
# (its dev_warn is on the allowed path only), and the legacy type1
# container (the test program vfio-legacy: VFIO_SET_IOMMU) gets EPERM with
# "vfio_iommu_type1_attach_group: No interrupt remapping support" in
# dmesg; iommuctl's error must name iommufd.allow_unsafe_interrupts and the
# risk. Then the scenario sets /sys/module/iommufd/parameters/
# allow_unsafe_interrupts: the bind works, the kernel logs "MSI interrupts
# are not secure" for the device, and iommuctl says interrupts are
# unsafe-allowed; vfio_iommu_type1's own parameter lets the legacy
# container through. Everything is put back on the way out.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

EDU=0000:00:03.0
P=/sys/module/iommufd/parameters/allow_unsafe_interrupts
T=/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run
require_prog vfio-legacy
trap 'echo N >$P; echo N >$T; "$IOMMUCTL" vfio restore >/dev/null 2>&1 || true' EXIT

# --- ground truth: remapping is off
grep -q ' IO-APIC ' /proc/interrupts || fail "no IO-APIC line in /proc/interrupts"
! grep -q ' IR-' /proc/interrupts || fail "/proc/interrupts has a remapped chip (IR-*)"
! dmesg | grep -q 'Enabled IRQ remapping' || fail "dmesg says IRQ remapping is enabled"
ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap)
[ $(((0x$ecap >> 3) & 1)) -eq 0 ] || fail "ECAP 0x$ecap has IR set"
[ "$(cat $P)" = N ] || fail "$P is $(cat $P) at the start"
report "ecap 0x$ecap (IR clear), $P=N, /proc/interrupts: $(grep -c ' IO-APIC ' /proc/interrupts) IO-APIC lines, none IR-"

# --- msi and status say MSIs are not isolated, and what binding will meet
json_to /tmp/msi.json "$IOMMUCTL" -j msi
check_jsons /tmp/msi.json \
  '.interrupt_remapping == false and .msi_isolated == false and .unsafe_allowed == false' \
  '.interrupt_remapping_source | test("IO-APIC|no IR-")' \
  '.explanation | test("iommufd.allow_unsafe_interrupts is Y \\(now N") and test("EPERM") and test("vfio_iommu_type1.allow_unsafe_interrupts") and test("any interrupt vector")' \
  '[.warnings[].code] | index("no-interrupt-remapping") != null'
"$IOMMUCTL" msi | grep -q '^MSI isolation: *NONE (binding devices to iommufd fails with EPERM)' ||
  fail "msi (text) does not say MSIs are not isolated"
json_to /tmp/st.json "$IOMMUCTL" -j status
check_json '[.findings[] | select(.code == "no-interrupt-remapping" and (.message | test("MSIs are not isolated.*EPERM unless iommufd.allow_unsafe_interrupts=1")))] | length == 1' /tmp/st.json

# --- vfio bind says it too
"$IOMMUCTL" -j vfio bind $EDU >/tmp/bind.json 2>/tmp/bind.err || { cat /tmp/bind.err; fail "vfio bind $EDU failed"; }
check_json '.interrupts.msi_isolated == false and .interrupts.unsafe_interrupts_allowed == false and .steps[0].done' /tmp/bind.json
grep -q 'WARNING: MSIs are not isolated (interrupt remapping is off): binding these devices to iommufd will fail with EPERM' /tmp/bind.err ||
  { cat /tmp/bind.err; fail "vfio bind did not warn"; }
grp=$(basename "$(readlink /sys/bus/pci/devices/$EDU/iommu_group)")

# --- the kernel refuses the iommufd bind with EPERM, and logs nothing
n0=$(dmesg | grep -c 'MSI interrupts are not secure' || true)
"$IOMMUCTL" -j hwinfo --no-bind $EDU >/tmp/hw.json 2>/tmp/hw.err && fail "hwinfo bound $EDU to iommufd with remapping off"
check_jsons /tmp/hw.json \
  '.errno == 1' \
  '.error | test("cannot bind to iommufd: Operation not permitted")' \
  '.error | test("iommufd.allow_unsafe_interrupts is Y") and test("any interrupt vector")'
[ "$(dmesg | grep -c 'MSI interrupts are not secure' || true)" = "$n0" ] ||
  fail "the kernel logged 'MSI interrupts are not secure' on a refused bind"
# the legacy type1 container: EPERM and its own dmesg line
vfio-legacy "$grp" >/tmp/leg.out
grep -qx 'set_iommu=errno 1' /tmp/leg.out || { cat /tmp/leg.out; fail "the type1 container was not refused with EPERM"; }
dmesg | grep -q 'vfio_iommu_type1_attach_group: No interrupt remapping support' ||
  fail "no 'No interrupt remapping support' line from vfio_iommu_type1 in dmesg"
report "refused: iommufd bind errno $(jq .errno /tmp/hw.json) (no dmesg line), type1 $(cat /tmp/leg.out) + '$(dmesg | grep -o 'vfio_iommu_type1_attach_group: No interrupt remapping support' | head -1)'"

# --- allow_unsafe_interrupts: the bind works, the kernel warns, iommuctl says unsafe-allowed
[ -w $P ] || fail "$P is not writable"
echo 1 >$P
json_to /tmp/hw2.json "$IOMMUCTL" -j hwinfo --no-bind $EDU
check_jsons /tmp/hw2.json \
  '.type == "intel-vtd"' \
  '.interrupts.msi_isolated == false and .interrupts.unsafe_interrupts_allowed == true' \
  '.interrupts.explanation | test("allow_unsafe_interrupts=Y: the kernel binds such devices")'
"$IOMMUCTL" hwinfo --no-bind $EDU | grep -q 'MSIs NOT isolated.*unsafe interrupts allowed' ||
  fail "hwinfo (text) does not say unsafe interrupts are allowed"
line=$(dmesg | grep "$EDU: MSI interrupts are not secure, they cannot be isolated by the platform" | tail -1)
[ -n "$line" ] || fail "the kernel did not log 'MSI interrupts are not secure' for $EDU"
report "allowed: ${line#*] }"
json_to /tmp/msi2.json "$IOMMUCTL" -j msi
check_jsons /tmp/msi2.json \
  '.msi_isolated == false and .unsafe_allowed == true' \
  '[.warnings[].code] | index("unsafe-interrupts") != null'
json_to /tmp/st2.json "$IOMMUCTL" -j status
check_jsons /tmp/st2.json \
  '[.findings[] | select(.code == "unsafe-interrupts")] | length == 1' \
  '[.findings[] | select(.code == "no-interrupt-remapping") | .message | test("unsafe interrupts allowed")] | length == 1'
echo 1 >$T
vfio-legacy "$grp" >/tmp/leg2.out
grep -qx 'set_iommu=ok' /tmp/leg2.out || { cat /tmp/leg2.out; fail "vfio_iommu_type1.allow_unsafe_interrupts=1 did not let the container through"; }

echo N >$P
echo N >$T
ok "$IOMMUCTL" vfio restore $EDU
