# machines: plain vtd vtd-next
# timeout: 60
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: iommuctl probe asks the running kernel which iommufd
# commands it has. On both test kernels everything up to the 6.11 fault
# queue and the selftest command must be there; vIOMMU, vDEVICE, vEVENTQ and
# HW queue (6.13 and later) must not be on 6.12 (they answer ENOTTY there)
# and must be on 7.3 (the guest's uname says which). Probing is refused
# offline (exit 3).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

json_to /tmp/p.json "$IOMMUCTL" -j probe
ok "$IOMMUCTL" probe
report "present: $(jq -r '[.ioctls[] | select(.present) | .name] | join(" ")' /tmp/p.json)"
case $(uname -r) in
  6.12.*) newer='.present == false and .answer == "ENOTTY"' ;;
  *) newer='.present and .answer != "ENOTTY"' ;;
esac
check_jsons /tmp/p.json \
  '.ioctls | length == 22' \
  'all(.ioctls[] | select(.name | IN("IOMMU_DESTROY","IOMMU_IOAS_ALLOC","IOMMU_IOAS_ALLOW_IOVAS","IOMMU_IOAS_COPY","IOMMU_IOAS_IOVA_RANGES","IOMMU_IOAS_MAP","IOMMU_IOAS_UNMAP","IOMMU_OPTION","IOMMU_VFIO_IOAS","IOMMU_HWPT_ALLOC","IOMMU_GET_HW_INFO","IOMMU_HWPT_SET_DIRTY_TRACKING","IOMMU_HWPT_GET_DIRTY_BITMAP","IOMMU_HWPT_INVALIDATE","IOMMU_FAULT_QUEUE_ALLOC","IOMMU_TEST_CMD")); .present)' \
  "all(.ioctls[] | select(.name | IN(\"IOMMU_VIOMMU_ALLOC\",\"IOMMU_VDEVICE_ALLOC\",\"IOMMU_VEVENTQ_ALLOC\",\"IOMMU_HW_QUEUE_ALLOC\")); $newer)"
# probing twice gives the same answer (nothing the first one created lingers)
json_to /tmp/p2.json "$IOMMUCTL" -j probe
cmp -s /tmp/p.json /tmp/p2.json || fail "a second probe answered differently"
# a captured tree without a recorded probe: exit 3; a directory that is no
# captured system: exit 2
mkdir -p /tmp/emptyroot/sys
expect_rc 3 "$IOMMUCTL" --root /tmp/emptyroot probe
mkdir -p /tmp/notaroot
expect_rc 2 "$IOMMUCTL" --root /tmp/notaroot probe
