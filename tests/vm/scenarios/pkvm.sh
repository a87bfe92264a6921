# machines: arm64-pkvm arm64-next arm64-vhe
# timeout: 240
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: arm64 KVM says which mode it runs in (VHE, nVHE, hVHE, protected) only
# in its boot lines in the kernel log ("kvm [1]: Protected hVHE mode initialized
# successfully", "kvm [1]: HYP mode not available"); the command line says what was asked
# for (kvm-arm.mode=), /dev/kvm whether KVM started, /sys/bus/platform/drivers/kvm-arm-smmu-v3
# whether the pKVM SMMUv3 host driver (not in upstream Linux) is registered, and
# /sys/class/iommu which units the host's own drivers expose. The guest reads all of these
# itself (its /proc/cmdline, dmesg and sysfs) and computes the answer `status` must give.
# Then status runs live, inside `report` (the bundle's report/commands/status.json) and
# offline with --root on that bundle: each must agree with the guest's answer, and the three
# with each other. The machine decides what the guest's answer must be: arm64-pkvm (EL2,
# kvm-arm.mode=protected) is in protected mode with a "pkvm" note naming the host's units;
# arm64-next (no EL2) says KVM did not start, and arm64-vhe (EL2, KVM's default mode) says
# VHE, both without that note and without alarm.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

# --- ground truth, from the guest's own log, command line and sysfs
dmesg >/tmp/dmesg.txt
line=$(grep -oE 'kvm \[[0-9]+\]: ((Protected |Hyp )?[hn]?VHE mode initialized successfully|HYP mode not available|KVM disabled from command line|error initializing Hyp mode.*)' \
  /tmp/dmesg.txt | tail -n 1) || true
case $line in
  *": Protected "*) mode=protected ;;
  *": Hyp nVHE "*) mode=nvhe ;;
  *": Hyp hVHE "*) mode=hvhe ;;
  *": VHE mode "*) mode=vhe ;;
  *"HYP mode not available"|*"error initializing Hyp mode"*) mode=not-started ;;
  *"KVM disabled"*) mode=disabled ;;
  *) fail "the kernel log has no KVM init line (dmesg: $(grep -c 'kvm \[' /tmp/dmesg.txt) kvm lines)" ;;
esac
hyp=$(echo "$line" | grep -oE '[hn]?VHE' | head -n 1) || true
el=$(grep -oE 'started at EL[12]' /tmp/dmesg.txt | tail -n 1) || true
el=${el#started at EL}
req=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^kvm[-_]arm\.mode=//p' | tail -n 1)
units=""
for u in /sys/class/iommu/*; do
  case ${u##*/} in iommufd_selftest*|'*') ;; *) units="$units${units:+
}${u##*/}" ;; esac
done
devkvm=false; [ -e /dev/kvm ] && devkvm=true
drv=false; [ -d /sys/bus/platform/drivers/kvm-arm-smmu-v3 ] && drv=true
log "guest: mode $mode ($line), hyp '$hyp', EL$el, kvm-arm.mode='$req', /dev/kvm $devkvm, pKVM driver $drv, units: $units"
# the machine is what it claims to be
if machine_is arm64-pkvm; then
  assert_eq "$mode/$req/$el/$devkvm" "protected/protected/2/true" "arm64-pkvm: pKVM at EL2"
elif machine_is arm64-vhe; then
  assert_eq "$mode/$req/$el/$devkvm" "vhe//2/true" "arm64-vhe: KVM in VHE mode at EL2"
else
  assert_eq "$mode/$el/$devkvm" "not-started/1/false" "arm64-next: no EL2, no KVM"
fi
# the SMMU the host sees is driven by the host's own driver (no pKVM driver in 7.3)
for u in $units; do
  d=$(readlink "/sys/class/iommu/$u/device/driver" 2>/dev/null) || true
  log "unit $u: driver ${d##*/}"
done

# --- status live, inside report, offline from that bundle
json_to /tmp/live.json "$IOMMUCTL" -j status
"$IOMMUCTL" status >/tmp/live.txt
mkdir -p out
json_to /tmp/sum.json "$IOMMUCTL" -j report -q -o out/bundle.tar.gz
mkdir -p /tmp/b && tar -xzf out/bundle.tar.gz -C /tmp/b
[ -f /tmp/b/bundle/report/commands/status.json ] || fail "the bundle has no report/commands/status.json"
json_to /tmp/off.json "$IOMMUCTL" --root out/bundle.tar.gz -j status
grep -c 'kvm' /tmp/b/bundle/report/kernel-log.txt >/dev/null || fail "the bundle's kernel log has no KVM line"

jq -n --arg mode "$mode" --arg hyp "$hyp" --arg line "$line" --arg req "$req" \
  --argjson el "${el:-0}" --argjson devkvm "$devkvm" --argjson drv "$drv" --arg units "$units" \
  --slurpfile live /tmp/live.json --slurpfile rep /tmp/b/bundle/report/commands/status.json \
  --slurpfile off /tmp/off.json \
  '{want: ({mode: $mode, hyp: $hyp, evidence: $line, requested: $req, started_at_el: $el,
           dev_kvm: $devkvm, pkvm_iommu_driver: $drv, log_read: true,
           hypervisor_may_own_iommus: ($mode == "protected"),
           host_iommus: ($units | split("\n") | map(select(. != "")))}
          | with_entries(select(.value != "" and .value != 0))),
    live: $live[0], rep: $rep[0], off: $off[0]}' >/tmp/all.json
# shellcheck disable=SC2016 # the $ are jq's
check_jsons /tmp/all.json \
  '.live.kvm == .want' \
  '.rep.kvm == .want' \
  '.off.kvm == .want' \
  '(.live.findings | map(.code)) == (.off.findings | map(.code))' \
  '(.live.findings | map(select(.code == "pkvm")) | length) == (if .want.mode == "protected" then 1 else 0 end)' \
  '[.live.findings[] | select(.code == "pkvm") | .message] as $m | .want.host_iommus | all(. as $u | $m | all(contains($u)))' \
  '(if .want.pkvm_iommu_driver then "is present" else "no pKVM IOMMU driver is present" end) as $s | [.live.findings[] | select(.code == "pkvm") | .message] | all(contains($s))' \
  '(if .want.requested == "protected" and .want.mode != "protected" then 1 else 0 end) as $n | [.live.findings[] | select(.code == "pkvm-not-active")] | length == $n' \
  '.live.findings | all(.code != "pkvm-not-active" or .severity == "warning")' \
  '.want.requested as $r | $r == null or (.live.cmdline | any(. == "kvm-arm.mode=\($r)"))'
# the text says it in words
case $mode in
  protected)
    if ! grep -q "^KVM: *protected mode (pKVM, $hyp)\$" /tmp/live.txt ||
       ! grep -q '^  *the hypervisor may own IOMMUs the host cannot see or program$' /tmp/live.txt ||
       ! grep -q "^pKVM IOMMU: *$(if $drv; then echo 'driver present'; else echo none; fi) (kvm-arm-smmu-v3)" /tmp/live.txt; then
      cat /tmp/live.txt; fail "status text does not say protected mode"
    fi ;;
  not-started)
    if ! grep -q '^KVM: *not started$' /tmp/live.txt ||
       ! grep -q '^  *the CPUs started at EL1: no EL2 to run a hypervisor$' /tmp/live.txt; then
      cat /tmp/live.txt; fail "status text does not say KVM did not start"
    fi ;;
esac
# the text lines stay within 80 columns
awk 'length > 80 && !/^(note|warning):/ && /KVM|hypervisor|kernel log:|EL1/ { print; bad = 1 } END { exit bad }' /tmp/live.txt ||
  fail "KVM lines wider than 80 columns"
sed -n '/^KVM:/,/^[A-Za-z]/p' /tmp/live.txt | while read -r l; do report "$l"; done
