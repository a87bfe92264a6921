# machines: plain
# timeout: 90
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: vIOMMU, vDEVICE, vEVENTQ and HW queue, which Linux
# 6.13-6.17 added, driven through the selftest mock. The 6.12 test kernel
# has none of them (iommufd.sh checks they exit 3 there), so this scenario
# skips unless the kernel answers IOMMU_VIOMMU_ALLOC; the vm tier boots the
# newer test kernel for it when IOMMUCTL_VM_KERNEL_NEXT names one. Checks:
# the chain builds, an event raised by the mock arrives on the vEVENTQ with
# the vDEVICE's virtual id, invalidation through the vIOMMU is accepted,
# and wrong-order teardown is refused naming the holders (including a HW
# queue held by the next-higher queue).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

json_to /tmp/p.json "$IOMMUCTL" -j probe
jq -e '.ioctls[] | select(.name == "IOMMU_VIOMMU_ALLOC") | .present' /tmp/p.json >/dev/null ||
  skip "this kernel has no IOMMU_VIOMMU_ALLOC (boot a 6.13+ kernel: IOMMUCTL_VM_KERNEL_NEXT)"

cat >/tmp/v.batch <<'EOF'
ioas create --name a
device mock --ioas a --name m
ioas map a --size 2M --iova 0x1000000
hwpt alloc --device m --ioas a --nest-parent --name np
viommu alloc --device m --hwpt np --type selftest --name v
vdevice alloc --viommu v --device m --virt-id 5 --name vd
veventq alloc --viommu v --type selftest --depth 4 --name q
hwpt alloc --device m --parent v --name nv
device replace m --pt nv
vdevice inject --device m
veventq read q --timeout 2000
hwpt invalidate v --virt-id 5 --all
hwqueue alloc --viommu v --type selftest --index 0 --iova 0x1000000 --size 4k --name hq
hwqueue alloc --viommu v --type selftest --index 1 --iova 0x1100000 --size 4k --name hq1
objects
viommu destroy v
hwqueue destroy hq
hwqueue destroy hq1
hwqueue destroy hq
veventq destroy q
vdevice destroy vd
device replace m --pt a
hwpt destroy nv
viommu destroy v
hwpt destroy np
objects
EOF
set +e
"$IOMMUCTL" -j batch --keep-going /tmp/v.batch >/tmp/v.json 2>/tmp/v.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/v.err
[ "$RC" -eq 1 ] || fail "batch exited $RC, expected 1 (two refusals)"
jq -s . /tmp/v.json >/tmp/r.json
check_jsons /tmp/r.json \
  'length == 26' \
  '.[4].type == "viommu" and .[4].parent == .[3].id and .[4].viommu_type == "selftest"' \
  '.[5].type == "vdevice" and .[5].virt_id == "0x5" and .[5].parent == .[4].id' \
  '.[6].type == "veventq" and .[6].depth == 4' \
  '.[7].type == "hwpt-nested" and .[7].parent == .[4].id' \
  '.[8].attached == .[7].id' \
  '.[10].events | length >= 1' \
  '.[10].events[0].virt_id == "0x5" and .[10].events[0].lost_events == false' \
  '.[11].error == null' \
  '.[12].type == "hw-queue" and .[12].index == 0 and .[13].index == 1' \
  '[.[14].objects[].type] | sort == ["device","hw-queue","hw-queue","hwpt-nested","hwpt-paging","ioas","vdevice","veventq","viommu"]' \
  '.[15].errno == 16 and (.[15].error | test("viommu [0-9]+ \\(v\\) is in use by vdevice [0-9]+ \\(vd\\), veventq [0-9]+ \\(q\\), hwpt [0-9]+ \\(nv\\), hw-queue [0-9]+ \\(hq\\) and hw-queue [0-9]+ \\(hq1\\)"))' \
  '.[16].errno == 16 and (.[16].error | test("hw-queue [0-9]+ \\(hq\\) is in use by hw-queue [0-9]+ \\(hq1\\)"))' \
  'all(.[17:25][]; .destroyed != null or .attached != null)' \
  '.[25].objects | map(.type) == ["ioas","device","hwpt-paging"]'
report "refusal: $(jq -r '.[15].error' /tmp/r.json)"
