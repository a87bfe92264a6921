# machines: plain vtd
# timeout: 60
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: iommuctl probe asks the running kernel which iommufd
# commands it has. On the 6.12 test kernel everything up to the 6.11 fault
# queue and the selftest command must be there, and vIOMMU, vDEVICE,
# vEVENTQ and HW queue (6.13 and later) must not: the test kernel's README
# records those answering ENOTTY. Probing is refused offline (exit 3).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

json_to /tmp/p.json "$IOMMUCTL" -j probe
ok "$IOMMUCTL" probe
report "present: $(jq -r '[.ioctls[] | select(.present) | .name] | join(" ")' /tmp/p.json)"
check_jsons /tmp/p.json \
  '.ioctls | length == 22' \
  'all(.ioctls[] | select(.name | IN("IOMMU_DESTROY","IOMMU_IOAS_ALLOC","IOMMU_IOAS_ALLOW_IOVAS","IOMMU_IOAS_COPY","IOMMU_IOAS_IOVA_RANGES","IOMMU_IOAS_MAP","IOMMU_IOAS_UNMAP","IOMMU_OPTION","IOMMU_VFIO_IOAS","IOMMU_HWPT_ALLOC","IOMMU_GET_HW_INFO","IOMMU_HWPT_SET_DIRTY_TRACKING","IOMMU_HWPT_GET_DIRTY_BITMAP","IOMMU_HWPT_INVALIDATE","IOMMU_FAULT_QUEUE_ALLOC","IOMMU_TEST_CMD")); .present)' \
  'all(.ioctls[] | select(.name | IN("IOMMU_VIOMMU_ALLOC","IOMMU_VDEVICE_ALLOC","IOMMU_VEVENTQ_ALLOC","IOMMU_HW_QUEUE_ALLOC")); .present == false and .answer == "ENOTTY")'
# probing twice gives the same answer (nothing the first one created lingers)
json_to /tmp/p2.json "$IOMMUCTL" -j probe
cmp -s /tmp/p.json /tmp/p2.json || fail "a second probe answered differently"
mkdir -p /tmp/emptyroot
expect_rc 3 "$IOMMUCTL" --root /tmp/emptyroot probe
