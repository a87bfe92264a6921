# machines: all vtd-next arm64-smmuv3 arm64-next arm64-pkvm arm64-vhe
# timeout: 60
# shellcheck shell=sh source-path=SCRIPTDIR
# `iommuctl status` on every machine variant: the IOMMU units the kernel shows in
# /sys/class/iommu must all be reported, with the right kind.
#
# The JSON keys are those documented in iommuctl(1) (status): iommus[] with name and kind
# (intel-vtd, amd-vi, arm-smmu-v3, iommufd-mock for iommufd_selftest_iommu.0), groups, verdict.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

ok "$IOMMUCTL" --version
ok "$IOMMUCTL" status
# global options go before the object (usage: iommuctl [OPTIONS] OBJECT [VERB] [ARGS])
json_to /tmp/s.json "$IOMMUCTL" -j status
report "iommuctl -j status: verdict $(jq -r .verdict /tmp/s.json), units $(jq -r '[.iommus[] | "\(.name) (\(.kind))"] | join(", ")' /tmp/s.json), $(jq -r .group_count /tmp/s.json) groups"
# -j is accepted after the object too
json_to /tmp/s2.json "$IOMMUCTL" status -j

# one entry per /sys/class/iommu unit (names compared below), as many groups as
# /sys/kernel/iommu_groups has
units=$(cd /sys/class/iommu && printf '%s\n' * | sort | tr '\n' ' ')
ngroups=$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)
case $MACHINE in
  vtd|vtd-sm|vtd-next) unit='any(.iommus[]; .name == "dmar0" and .kind == "intel-vtd") and .verdict == "active" and (.firmware_tables | index("DMAR")) and (.debugfs.drivers | index("intel"))' ;;
  amd) unit='any(.iommus[]; .name == "ivhd0" and .kind == "amd-vi") and .verdict == "active" and (.firmware_tables | index("IVRS"))' ;;
  virtio) unit='any(.iommus[]; .kind == "virtio-iommu" and .driver == "virtio_iommu") and .verdict == "active" and (.firmware_tables | index("VIOT"))' ;;
  # the firmware has a DMAR table, the kernel was told intel_iommu=off
  vtd-off) unit='all(.iommus[]; .kind == "iommufd-mock") and .verdict == "disabled" and (.firmware_tables | index("DMAR")) and any(.findings[]; .code == "iommu-disabled" and (.message | test("intel_iommu=off")))' ;;
  # no hardware unit: only the mock, and a plain statement that there is no IOMMU
  plain) unit='all(.iommus[]; .kind == "iommufd-mock") and .verdict == "none" and any(.findings[]; .code == "no-iommu")' ;;
  # a device-tree arm64 machine: the SMMUv3 unit is named after its MMIO base address (sysfs
  # smmu3.0x<16 hex digits>), no ACPI tables
  arm64-*)
    smmu=$(cd /sys/class/iommu && ls -d smmu3.0x* | head -n 1)
    addr=0x$(echo "${smmu#smmu3.0x}" | sed 's/^0*//')
    unit="any(.iommus[]; .name == \"$smmu\" and .kind == \"arm-smmu-v3\" and .driver == \"arm-smmu-v3\" and .hardware and .address == \"$addr\") and .verdict == \"active\" and (.firmware_tables | length) == 0" ;;
  *) fail "status.sh does not know machine $MACHINE" ;;
esac
# (one jq run for all checks: jq is slow to start under TCG)
check_jsons /tmp/s.json \
  '.iommus | type == "array"' \
  '.group_count | type == "number"' \
  "([.iommus[].name] | sort | join(\" \")) + \" \" == \"$units\"" \
  ".group_count == $ngroups" \
  'any(.iommus[]; .name == "iommufd_selftest_iommu.0" and .kind == "iommufd-mock")' \
  "$unit" \
  '.iommufd.present and .iommufd.accessible and .iommufd.answers and .iommufd.selftest' \
  '.vfio.cdev and .vfio.group_interface' \
  '.debugfs.state == "available"'
cmp -s /tmp/s.json /tmp/s2.json || fail "'status -j' and '-j status' differ"

# --check adds the replay of the kernel's grouping: the same findings as
# without, and a group-quirk one for each group 'group list --check' names
json_to /tmp/sc.json "$IOMMUCTL" -j status --check
# (with no groups at all, group list refuses; then there is nothing to replay)
if [ "$(jq .group_count /tmp/s.json)" = 0 ]; then
  echo '[]' >/tmp/gc.json
else
  "$IOMMUCTL" -j group list --check >/tmp/gc.json || [ $? = 1 ] || fail "group list --check failed"
fi
jq -e --slurpfile plain /tmp/s.json --slurpfile gc /tmp/gc.json \
  '([.findings[] | select(.code != "group-quirk")] == $plain[0].findings) and
   ([.findings[] | select(.code == "group-quirk") | .message | capture("^group (?<n>[0-9]+)").n | tonumber] | sort) == ([$gc[0][].group] | sort) and
   ([$plain[0].findings[] | select(.code == "group-quirk")] | length) == 0' /tmp/sc.json >/dev/null ||
  fail "status --check: not the findings of status plus one group-quirk per group of 'group list --check'"
