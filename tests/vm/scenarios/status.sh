# machines: all
# timeout: 60
# shellcheck shell=sh source-path=SCRIPTDIR
# `iommuctl status` on every machine variant: the IOMMU units the kernel shows in
# /sys/class/iommu must all be reported, with the right kind.
#
# SCHEMA NOTE: the JSON contract of `iommuctl -j status` used below comes from the lead
# (not from the code):
#   {"iommus": [{"name": "dmar0", "kind": "intel-vtd", ...}, ...],  one per /sys/class/iommu entry
#    "groups": N, ...}
# kinds: intel-vtd, amd-vi, iommufd-mock (the selftest unit iommufd_selftest_iommu.0).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

ok "$IOMMUCTL" --version
ok "$IOMMUCTL" status
# global options go before the object (usage: iommuctl [OPTIONS] OBJECT [VERB] [ARGS])
json_to /tmp/s.json "$IOMMUCTL" -j status

# one entry per /sys/class/iommu unit (names compared below), as many groups as
# /sys/kernel/iommu_groups has
units=$(cd /sys/class/iommu && printf '%s\n' * | sort | tr '\n' ' ')
ngroups=$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)
case $MACHINE in
  vtd|vtd-sm) unit='any(.iommus[]; .name == "dmar0" and .kind == "intel-vtd")' ;;
  amd) unit='any(.iommus[]; .name == "ivhd0" and .kind == "amd-vi")' ;;
  # no hardware unit: only the mock
  plain) unit='all(.iommus[]; .kind == "iommufd-mock")' ;;
  *) fail "status.sh does not know machine $MACHINE" ;;
esac
# (one jq run for all checks: jq is slow to start under TCG)
check_jsons /tmp/s.json \
  '.iommus | type == "array"' \
  '.groups | type == "number"' \
  "([.iommus[].name] | sort | join(\" \")) + \" \" == \"$units\"" \
  ".groups == $ngroups" \
  'any(.iommus[]; .name == "iommufd_selftest_iommu.0" and .kind == "iommufd-mock")' \
  "$unit"
