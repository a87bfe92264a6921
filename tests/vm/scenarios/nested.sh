# machines: vtd vtd-next arm64-smmuv3 arm64-next
# timeout: 240
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: nesting and the MSI doorbell. One batch per machine:
# a selftest mock device attached to a nested hwpt over a nest parent (the
# mock nests on 6.12 and 7.3 alike), and edu on vfio-pci behind the real
# IOMMU. Where the doorbell is mapped is checked against what the guest
# reads itself: the MSI window is the msi line of the device's group's
# reserved_regions; it is a hardware window behind VT-d (the x86 interrupt
# range, nothing mapped) and a software one behind SMMUv3 (the kernel maps
# the doorbell into the paging domain the device is attached to: the nest
# parent itself when edu is attached to it; the nest parent, stage 2, when a
# device is attached to a nested hwpt); the kernel's IOMMU_IOAS_IOVA_RANGES
# leaves exactly that window out. On arm64-next (Linux 7.3, QEMU 11.1,
# arm-smmuv3 stage=nested) the kernel gives the nest parent but refuses the
# arm-smmuv3 vIOMMU (EOPNOTSUPP): the SMMU driver's own boot line shows
# NESTING (feature bit 19) without S2FWB (bit 23) and the guest has no ACPI
# (so no IORT CANWBS); hwinfo and viommu alloc must name that reason, and an
# arm-smmuv3 nested hwpt straight over the nest parent is refused too. The
# mock's nested attachment answers from the mock group's own regions. On
# arm64-smmuv3 (Linux 6.12, QEMU 7.2's virt SMMUv3: stage 1 only, feature
# bit 10 clear) there is no nest parent: hwinfo must say the SMMU does not
# nest, and edu's doorbell is in its automatic paging hwpt. Last, edu-msi
# has edu raise a real MSI, which must arrive through that domain.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

# edu (1234:11e8), the first one
edu=""
for d in /sys/bus/pci/devices/*; do
  [ "$(cat "$d/vendor")$(cat "$d/device")" = 0x12340x11e8 ] && { edu=${d##*/}; break; }
done
[ -n "$edu" ] || fail "no edu device on $MACHINE"
smmu=false s2=0
for u in /sys/class/iommu/smmu3.*; do [ -e "$u" ] && smmu=true; done

if [ "$smmu" = true ]; then
  # the kernel's own view: the SMMU driver's features, ACPI or not
  feat=$(dmesg | sed -n 's/.*arm-smmu-v3 .*(features \(0x[0-9a-f]*\)).*/\1/p' | head -n 1)
  [ -n "$feat" ] || fail "no arm-smmu-v3 features line in dmesg"
  # bit 10 TRANS_S2 (stage 2), 19 NESTING, 23 S2FWB (arm-smmu-v3.h)
  s2=$(( (feat >> 10) & 1 )) nesting=$(( (feat >> 19) & 1 )) s2fwb=$(( (feat >> 23) & 1 ))
  acpi=false; [ -e /sys/firmware/acpi/tables/IORT ] && acpi=true
  log "arm-smmu-v3 features $feat: stage 2 $s2, nesting $nesting, s2fwb $s2fwb; ACPI IORT $acpi"
  # what the kernel will do with an arm-smmuv3 vIOMMU (arm_smmu_get_viommu_size())
  viommu_ok=false
  [ "$nesting" = 1 ] && { [ "$s2fwb" = 1 ] || [ "$acpi" = true ]; } && viommu_ok=true
  # hwinfo binds edu for the question and gives it back
  json_to /tmp/hw.json "$IOMMUCTL" -j hwinfo "$edu"
  if [ "$s2" = 0 ]; then
    # QEMU 7.2's virt SMMUv3: stage 1 only, so no nest parent at all; the
    # reason needs the SMMU's registers, which Linux 6.12 does not report
    # (IOMMU_GET_HW_INFO type none there)
    check_jsons /tmp/hw.json \
      '.ready[] | select(.name == "nesting") | .ready == false and (.how | test("EOPNOTSUPP"))' \
      'if .type == "arm-smmuv3" then (.ready[] | select(.name == "nesting") | (.reason | test("does not nest")) and (.reason | test("no stage 2"))) else .type == "none" end'
    report "nesting on this SMMU: $(jq -r '.ready[] | select(.name == "nesting") | "\(.how) \(.reason // "")"' /tmp/hw.json)"
  elif [ "$viommu_ok" = false ]; then
    check_jsons /tmp/hw.json \
      '.type == "arm-smmuv3"' \
      '.ready[] | select(.name == "nesting") | .ready == false and (.how | test("vIOMMU.*EOPNOTSUPP")) and (.reason | test("no S2FWB")) and (.reason | test("canwbs"))'
  fi
fi

export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run
ok "$IOMMUCTL" vfio bind "$edu"
trap '"$IOMMUCTL" vfio restore $edu' EXIT
win=$(awk '$3 == "msi" { print $1, $2; exit }' "/sys/bus/pci/devices/$edu/iommu_group/reserved_regions")
[ -n "$win" ] || fail "edu's group lists no msi region"
ws=$(printf '0x%x' "${win% *}") we=$(printf '0x%x' "${win#* }")
before=$(printf '0x%x' $((ws - 1))) after=$(printf '0x%x' $((we + 1)))
log "edu $edu: msi window $ws-$we (reserved_regions)"
# behind a nesting SMMUv3 edu goes to a nest parent of its own; VT-d here
# (iommufd.sh) and a stage-1-only SMMU give none: there it attaches to the
# IOAS (an automatic paging hwpt)
if [ "$s2" = 1 ]; then
  attach='@np hwpt alloc --device edu --ioas a --nest-parent --name np
@att device attach edu --pt np'
else
  attach='@att device attach edu --pt a'
fi

cat >/tmp/n.batch <<EOF
@md_ioas ioas create --name m
@md device mock --ioas m --name md
@mnp hwpt alloc --device md --ioas m --nest-parent --name mnp
@mn hwpt alloc --device md --parent mnp --name mn
@mrep device replace md --pt mn
@a ioas create --name a
@edu device bind $edu --name edu
$attach
@inwin ioas map a --size 4k --iova $ws
@ranges ioas ranges a
EOF
[ "$s2" = 1 ] && cat >>/tmp/n.batch <<EOF
@v viommu alloc --device edu --hwpt np --type arm-smmuv3 --name v
@nv hwpt alloc --device edu --parent np --vste abort --name nv
EOF
cat >>/tmp/n.batch <<EOF
@objs objects
@hwpts hwpt show
@msi msi
EOF
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/n.batch >/tmp/n.json 2>/tmp/n.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/n.err
by_tag /tmp/n.json /tmp/r.json
[ "$RC" -eq 1 ] || fail "batch exited $RC, expected 1 (the map into the MSI window is refused)"

# Linux 6.12 gives a mock device the first IOMMU's driver (dmar0 on vtd):
# no mock there, which iommuctl must say; the mock's part is then skipped
mname=$(jq -r '.md.result.device // empty' /tmp/r.json)
if [ -z "$mname" ]; then
  check_json '.md.error.error | test("no IOMMU driver takes it")' /tmp/r.json
  report "no mock device on this kernel: $(jq -r .md.error.error /tmp/r.json)"
fi
# the mock's window, from its group; the mock device's name from the session
mwin=""
[ -z "$mname" ] || mwin=$(awk '$3 == "msi" { print $1, $2; exit }' "/sys/bus/iommufd_mock/devices/$mname/iommu_group/reserved_regions" 2>/dev/null || true)
# shellcheck disable=SC2016 # $d is jq's
if [ -n "$mwin" ]; then
  mwhere='"nest-parent"'
  mcheck='.holder == $d.mnp.result.id and .stage == 2 and (.stage1 | test("1:1"))'
else
  mwhere='"no-window"'
  mcheck='.holder == null and .window == null'
fi
log "mock ${mname:-none}: msi window '${mwin:-none}' (reserved_regions)"
# shellcheck disable=SC2016 # $d is jq's
if [ "$smmu" = true ]; then
  ewhere='"paging"' eholder='$d.att.result.attached'
else
  ewhere='"hardware-window"' eholder=null
fi

log "doorbells: $(jq -c '[.objs.result.objects[] | select(.type == "device") | {l: .label, d: .doorbell}]' /tmp/r.json)"
# shellcheck disable=SC2016 # $d is jq's
check_jsons /tmp/r.json \
  '.att.exit == 0 and (.md.exit != 0 or .mrep.exit == 0)' \
  '.inwin.exit == 1' \
  '.inwin.error.errno == 22' \
  'any(.ranges.result.ranges[]; .last == "'"$before"'") and any(.ranges.result.ranges[]; .start == "'"$after"'")' \
  '.objs.result.objects as $o | $d as $d | ($o[] | select(.id == $d.edu.result.id) | .doorbell) | .where == '"$ewhere"' and .holder == '"$eholder"' and .window.start == "'"$ws"'" and .window.last == "'"$we"'" and .stage1 == null' \
  '.md.exit != 0 or (.objs.result.objects as $o | $d as $d | ($o[] | select(.id == $d.md.result.id) | .doorbell) | .where == '"$mwhere"' and .attached == $d.mn.result.id and ('"$mcheck"'))' \
  '$d as $d | .msi.result.session_devices | length == (if $d.md.exit != 0 then 1 else 2 end) and (map(.doorbell) == [$d.objs.result.objects[] | select(.type == "device") | .doorbell])' \
  '$d as $d | (.hwpts.result.hwpts[] | select(.id == $d.att.result.attached) | .doorbell_for) == (if '"$ewhere"' == "paging" then [$d.edu.result.label] else [] end)' \
  '$d as $d | .md.exit != 0 or (.hwpts.result.hwpts[] | select(.id == $d.mnp.result.id) | .doorbell_for) == (if '"$mwhere"' == "nest-parent" then [$d.md.result.label] else [] end)'
if [ "$s2" = 1 ]; then
  if [ "$viommu_ok" = false ]; then
    check_jsons /tmp/r.json \
      '.v.error | .errno == 95 and (.error | test("EOPNOTSUPP")) and (.error | test("no S2FWB"))' \
      '.nv.error | .errno == 95 and (.error | test("only over a vIOMMU"))'
    report "vIOMMU refused: $(jq -r '.v.error.error' /tmp/r.json)"
  else
    check_json '.v.exit == 0' /tmp/r.json
  fi
fi
# Ground truth for the doorbell: edu raises an MSI, a DMA write the IOMMU
# translates like any other; the kernel's eventfd counts it only if the
# doorbell is mapped where edu's DMA goes (SMMUv3: the nest parent it is
# attached to; VT-d: the hardware window, untranslated). No SMMU event and
# no DMAR fault may follow.
require_prog edu-msi
dmesg >/tmp/dmesg.before
if [ "$s2" = 1 ]; then np_flag=--nest-parent; else np_flag=; fi
set +e
edu-msi --device "$edu" $np_flag >/tmp/msi.out 2>&1
RC=$?
set -e
sed 's/^/  edu-msi| /' /tmp/msi.out
if [ "$RC" -ne 0 ] || ! grep -q '^msi=[1-9]' /tmp/msi.out; then
  fail "edu-msi exited $RC: the MSI did not arrive"
fi
want=$(echo "$ewhere" | tr -d '"')
grep -q "doorbell=$want " /tmp/msi.out || fail "edu-msi: the doorbell is not said to be '$want'"
report "edu-msi: $(tr '\n' ' ' </tmp/msi.out)"
dmesg >/tmp/dmesg.after
if diff /tmp/dmesg.before /tmp/dmesg.after | grep -E '^\+.*(arm-smmu-v3.*event|DMAR.*fault)'; then
  fail "the MSI faulted in the IOMMU"
fi
report "edu doorbell: $(jq -r '.objs.result.objects[] | select(.type == "device") | "\(.label): \(.doorbell.where) \(.doorbell.holder_label)"' /tmp/r.json | tr '\n' ';')"
