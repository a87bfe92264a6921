# machines: vtd vtd-sm amd plain virtio vtd-next arm64-smmuv3 arm64-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: every topology answer of iommuctl (iommu, group, device,
# resv, msi) is compared with ground truth this script computes itself from
# sysfs inside the guest, never with stored text: unit names, kinds and raw
# registers; group membership, default domain type, reserved regions and
# viability; each PCI device's group, IOMMU, driver and IDs; the kernel's
# groups against iommuctl's ACS prediction; msi windows classified as x86
# hardware windows, or on arm64 (GIC ITS doorbell) as software-managed windows.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

base() { [ -L "$1" ] && basename "$(readlink "$1")" || echo null; }

# --- iommu list / show ---------------------------------------------------
json_to /tmp/iommu.json "$IOMMUCTL" -j iommu list
ok "$IOMMUCTL" iommu list
units=$(cd /sys/class/iommu && printf '%s\n' * | sort | tr '\n' ' ')
got=$(jq -r '.[].name' /tmp/iommu.json | sort | tr '\n' ' ')
assert_eq "$got" "$units" "iommu list names vs /sys/class/iommu"
for u in /sys/class/iommu/*; do
  n=${u##*/}
  want=$(cd "$u/devices" && printf '%s\n' * | grep -v '^\*$' | sort | tr '\n' ' ')
  got=$(jq -r --arg n "$n" '.[] | select(.name == $n) | .device_names[]' /tmp/iommu.json | sort | tr '\n' ' ')
  assert_eq "$got" "$want" "devices behind $n"
  if [ -d "$u/intel-iommu" ]; then
    json_to /tmp/unit.json "$IOMMUCTL" -j iommu show "$n"
    check_json ".kind == \"intel-vtd\"" /tmp/unit.json
    check_json ".intel_vtd.cap == \"0x$(cat "$u/intel-iommu/cap")\"" /tmp/unit.json
    check_json ".intel_vtd.ecap == \"0x$(cat "$u/intel-iommu/ecap")\"" /tmp/unit.json
    check_json ".address == \"0x$(cat "$u/intel-iommu/address")\"" /tmp/unit.json
    check_json ".intel_vtd.domains_supported == $(cat "$u/intel-iommu/domains_supported")" /tmp/unit.json
    check_json ".version == \"$(tr ':' '.' <"$u/intel-iommu/version")\"" /tmp/unit.json
    # QEMU's VT-d always remaps interrupts here (intremap=on) and has QI
    check_json '.intel_vtd.summary.interrupt_remapping and .intel_vtd.summary.queued_invalidation' /tmp/unit.json
    # scalable mode: ECAP.SMTS (bit 43) is what the machine variant asked for
    smts=$(( (0x$(cat "$u/intel-iommu/ecap") >> 43) & 1 ))
    if [ "$MACHINE" = vtd-sm ]; then assert_eq "$smts" 1 "vtd-sm has SMTS"; fi
    check_json ".intel_vtd.summary.scalable_mode == $([ "$smts" = 1 ] && echo true || echo false)" /tmp/unit.json
    ok "$IOMMUCTL" iommu show --fields "$n"
  fi
  if [ -d "$u/amd-iommu" ]; then
    json_to /tmp/unit.json "$IOMMUCTL" -j iommu show "$n"
    check_json ".kind == \"amd-vi\"" /tmp/unit.json
    check_json ".amd_vi.features_raw == \"$(cat "$u/amd-iommu/features")\"" /tmp/unit.json
    # 6.7+ prints EFR first
    efr=$(cut -d: -f1 "$u/amd-iommu/features")
    check_json ".amd_vi.efr == \"0x$efr\" and .amd_vi.features_order == \"efr:efr2\"" /tmp/unit.json
    ok "$IOMMUCTL" iommu show "$n"
  fi
done
expect_rc 1 "$IOMMUCTL" iommu show no-such-unit

# --- group list / show ---------------------------------------------------
ngroups=$(ls /sys/kernel/iommu_groups | wc -l)
if [ "$ngroups" = 0 ]; then
  # no IOMMU groups: the list is empty and says why; resv and msi say
  # "not available" (exit 3)
  json_to /tmp/gl.json "$IOMMUCTL" -j group list
  check_json '. == []' /tmp/gl.json
  "$IOMMUCTL" group list | grep -q "^no IOMMU groups" || fail "group list does not say there are no groups"
  expect_rc 3 "$IOMMUCTL" resv
  expect_rc 3 "$IOMMUCTL" msi
  "$IOMMUCTL" -j resv >/tmp/err.json || true
  check_json '.errno == 19 and (.error | test("no IOMMU groups"))' /tmp/err.json
  json_to /tmp/dev.json "$IOMMUCTL" -j device list
  check_json 'all(.[]; .group == null and (.no_group_reason | length > 0))' /tmp/dev.json
  exit 0
fi
json_to /tmp/groups.json "$IOMMUCTL" -j group list
ok "$IOMMUCTL" group list
check_json "length == $ngroups" /tmp/groups.json
viable_driver() { # DEV: 0 if its driver lets the group be assigned
  d=$(base "$1/driver")
  case $d in null|vfio-pci|pci-stub) return 0 ;; esac
  cls=$(cat "$1/class" 2>/dev/null || echo 0)
  [ "$d" = pcieport ] && [ "${cls#0x0604}" != "$cls" ]
}
# (one jq run per comparison: jq is slow to start under TCG)
want_groups="" want_regions="" multi=""
for g in /sys/kernel/iommu_groups/*; do
  [ -d "$g" ] || continue
  n=${g##*/}
  members=$(cd "$g/devices" && printf '%s\n' * | sort | tr '\n' ' ')
  viable=true
  for d in "$g"/devices/*; do viable_driver "$d" || viable=false; done
  want_groups="$want_groups$n $(cat "$g/type") $viable $members
"
  while read -r s e t; do
    [ -n "$s" ] || continue
    want_regions="$want_regions$n $(printf '0x%x 0x%x' "$s" "$e") $t
"
  done <"$g/reserved_regions"
  set -- $members
  [ $# -gt 1 ] && multi=$n
done
# show takes one group: one batch of a show per group, its results in order
for n in $(ls /sys/kernel/iommu_groups); do echo "group show $n"; done >/tmp/gshow.batch
json_to /tmp/gshow.lines "$IOMMUCTL" -j batch /tmp/gshow.batch
jq -s . /tmp/gshow.lines >/tmp/gshow.json
got=$(jq -r '.[] | "\(.group) \(.type) \(.viable) \([.devices[].name] | sort | join(" ")) "' /tmp/gshow.json | sort -n)
assert_eq "$got" "$(printf '%s' "$want_groups" | sort -n)" "groups: number, type, viability, members"
got=$(jq -r '.[] | .group as $g | .reserved_regions[] | "\($g) \(.start) \(.last) \(.type)"' /tmp/gshow.json | sort -n)
assert_eq "$got" "$(printf '%s' "$want_regions" | sort -n)" "reserved regions"
# the kernel's groups are the ones the ACS analysis predicts: --check lists
# none, and a shared group's explanation agrees with certainty
json_to /tmp/check.json "$IOMMUCTL" -j group list --check
check_json 'length == 0' /tmp/check.json
if [ -n "$multi" ]; then
  json_to /tmp/x.json "$IOMMUCTL" -j group explain "$multi"
  got=$(jq -r '.predicted_members | sort | join(" ")' /tmp/x.json)
  want=$(cd "/sys/kernel/iommu_groups/$multi/devices" && printf '%s\n' * | sort | tr '\n' ' ')
  assert_eq "$got " "$want" "predicted members of group $multi"
  check_json '.agrees and .certain and (.devices | length > 1)' /tmp/x.json
  ok "$IOMMUCTL" group explain "$multi"
fi
ok "$IOMMUCTL" group list --check
expect_rc 1 "$IOMMUCTL" group show 9999
expect_rc 2 "$IOMMUCTL" group show nine

# --- device list ----------------------------------------------------------
json_to /tmp/dev.json "$IOMMUCTL" -j device list
ok "$IOMMUCTL" device list
want=""
for d in /sys/bus/pci/devices/*; do
  want="$want${d##*/} $(base "$d/iommu_group") $(base "$d/driver") $(base "$d/iommu") $(cat "$d/vendor") $(cat "$d/device")
"
done
got=$(jq -r '.[] | select(.bdf) | "\(.bdf) \(.group // "null") \(.driver // "null") \(.iommu // "null") \(.vendor) \(.device)"' /tmp/dev.json)
assert_eq "$got" "$(printf '%s' "$want")" "devices: group, driver, IOMMU, IDs"
npci=$(ls /sys/bus/pci/devices | wc -l)
check_json "[.[] | select(.bdf != null)] | length == $npci" /tmp/dev.json
# (q35's ICH9 SATA function: x86 machines only)
if [ -e /sys/bus/pci/devices/0000:00:1f.2 ]; then
  json_to /tmp/d.json "$IOMMUCTL" -j device show 0000:00:1f.2
  check_json '.multifunction == true and .pcie_type == "pci"' /tmp/d.json
fi
expect_rc 1 "$IOMMUCTL" device show 0000:7f:1f.7
expect_rc 2 "$IOMMUCTL" device show not-a-device

# --- PCIe extended capabilities: ATS, PRI, PASID ----------------------------
# ground truth: the guest walks each function's extended capability list
# (ext_caps, guest-lib.sh)
pcie=
for d in /sys/bus/pci/devices/*; do
  if [ "$(stat -c %s "$d/config")" -gt 256 ]; then pcie="$pcie ${d##*/}"; fi
done
for b in $pcie; do echo "device show $b"; done >/tmp/caps.batch
json_to /tmp/caps.lines "$IOMMUCTL" -j batch /tmp/caps.batch
jq -s . /tmp/caps.lines >/tmp/caps.json
for cap in ats:15 pri:19 pasid_capable:27; do
  want=$(for b in $pcie; do ext_caps "$b" | grep -qx "${cap#*:}" && echo "$b"; done | sort | tr '\n' ' ')
  got=$(jq -r ".[] | select(.${cap%:*} == true) | .name" /tmp/caps.json | sort | tr '\n' ' ')
  assert_eq "$got" "$want" "PCIe functions with ${cap%:*} (extended capability ${cap#*:})"
  [ -z "$want" ] || report "${cap%:*}: $want"
done

# --- resv / msi -----------------------------------------------------------
json_to /tmp/resv.json "$IOMMUCTL" -j resv
check_json ".groups | length == $ngroups" /tmp/resv.json
json_to /tmp/msi.json "$IOMMUCTL" -j msi
nmsi=$(cat /sys/kernel/iommu_groups/*/reserved_regions 2>/dev/null | grep -c ' msi$' || true)
check_json ".windows | length == $nmsi" /tmp/msi.json
# the windows are the groups' msi reserved regions
want=$(for g in /sys/kernel/iommu_groups/*; do
  while read -r st en t; do
    [ "$t" = msi ] && printf '%s 0x%x 0x%x\n' "${g##*/}" "$st" "$en"
  done <"$g/reserved_regions"
done | sort -n)
got=$(jq -r '.windows[] | "\(.group) \(.start) \(.last)"' /tmp/msi.json | sort -n)
assert_eq "$got" "$want" "msi windows: group, start, end"
if dmesg | grep -q 'ITS@0x'; then
  # arm64 with a GICv3 ITS: the doorbell is an ordinary MMIO page the IOMMU must map, so the
  # kernel reserves a software-managed window for it (on QEMU virt at 0x8000000)
  check_json 'all(.windows[]; .kind == "sw")' /tmp/msi.json
else
  # every x86 machine: the msi windows are the hardware range
  check_json 'all(.windows[]; .kind == "hw" and .start == "0xfee00000")' /tmp/msi.json
fi
case $MACHINE in
  vtd|vtd-sm|amd)
    # IR-PCI-MSI chips in /proc/interrupts: remapping is on
    if grep -q 'IR-PCI-MSI' /proc/interrupts; then
      check_json '.interrupt_remapping == true' /tmp/msi.json
    fi ;;
esac
ok "$IOMMUCTL" resv
ok "$IOMMUCTL" msi
