# machines: all
# timeout: 60
# `iommuctl status` on every machine variant: the IOMMU units the kernel shows in
# /sys/class/iommu must all be reported, with the right kind.
#
# SCHEMA NOTE: the JSON contract of `iommuctl status -j` used below comes from the lead
# (not from the code):
#   {"iommus": [{"name": "dmar0", "kind": "intel-vtd", ...}, ...],  one per /sys/class/iommu entry
#    "groups": N, ...}
# kinds: intel-vtd, amd-vi, iommufd-mock (the selftest unit iommufd_selftest_iommu.0).
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

ok "$IOMMUCTL" --version
ok "$IOMMUCTL" status
json_to /tmp/s.json "$IOMMUCTL" status -j

check_json '.iommus | type == "array"' /tmp/s.json
check_json '.groups | type == "number"' /tmp/s.json

# one entry per /sys/class/iommu unit, and nothing else
units=$(ls /sys/class/iommu | sort | tr '\n' ' ')
names=$(jq -r '.iommus[].name' /tmp/s.json | sort | tr '\n' ' ')
assert_eq "$names" "$units" ".iommus names vs /sys/class/iommu"

# groups: as many as /sys/kernel/iommu_groups has
ngroups=$(ls /sys/kernel/iommu_groups | wc -l)
check_json ".groups == $ngroups" /tmp/s.json

# every machine: the iommufd selftest mock unit
check_json 'any(.iommus[]; .name == "iommufd_selftest_iommu.0" and .kind == "iommufd-mock")' /tmp/s.json

case $MACHINE in
  vtd|vtd-sm)
    check_json 'any(.iommus[]; .name == "dmar0" and .kind == "intel-vtd")' /tmp/s.json ;;
  amd)
    check_json 'any(.iommus[]; .name == "ivhd0" and .kind == "amd-vi")' /tmp/s.json ;;
  plain)
    check_json 'all(.iommus[]; .kind == "iommufd-mock")' /tmp/s.json "hardware unit on a machine without IOMMU"
    check_json '[.iommus[] | select(.kind == "iommufd-mock")] | length >= 1' /tmp/s.json ;;
  *) fail "status.sh does not know machine $MACHINE" ;;
esac
