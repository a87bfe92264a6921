# machines: plain plain-next
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
@np hwpt alloc --device m --ioas a --nest-parent --name np
@v viommu alloc --device m --hwpt np --type selftest --name v
@vd vdevice alloc --viommu v --device m --virt-id 5 --name vd
@q veventq alloc --viommu v --type selftest --depth 4 --name q
@nv hwpt alloc --device m --parent v --name nv
@replace device replace m --pt nv
vdevice inject --device m
@events veventq read q --timeout 2000
@invalidate hwpt invalidate v --virt-id 5 --all
@hq hwqueue alloc --viommu v --type selftest --index 0 --iova 0x1000000 --size 4k --name hq
@hq1 hwqueue alloc --viommu v --type selftest --index 1 --iova 0x1100000 --size 4k --name hq1
@graph objects
@busy_v viommu destroy v
@busy_hq hwqueue destroy hq
@rm_hq1 hwqueue destroy hq1
@rm_hq hwqueue destroy hq
@rm_q veventq destroy q
@rm_vd vdevice destroy vd
@back device replace m --pt a
@rm_nv hwpt destroy nv
@rm_v viommu destroy v
@rm_np hwpt destroy np
@graph_end objects
EOF
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/v.batch >/tmp/v.json 2>/tmp/v.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/v.err
[ "$RC" -eq 1 ] || fail "batch exited $RC, expected 1 (two refusals)"
by_tag /tmp/v.json /tmp/r.json 26
check_jsons /tmp/r.json \
  '.v.result | .type == "viommu" and .viommu_type == "selftest"' \
  '.v.result.parent == .np.result.id' \
  '.vd.result | .type == "vdevice" and .virt_id == "0x5"' \
  '.vd.result.parent == .v.result.id' \
  '.q.result | .type == "veventq" and .depth == 4' \
  '.nv.result.type == "hwpt-nested" and .nv.result.parent == .v.result.id' \
  '.replace.result.attached == .nv.result.id' \
  '.events.result.events | length >= 1' \
  '.events.result.events[0] | .virt_id == "0x5" and .lost_events == false' \
  '.invalidate.exit == 0' \
  '.hq.result.type == "hw-queue" and .hq.result.index == 0 and .hq1.result.index == 1' \
  '[.graph.result.objects[].type] | sort == ["device","hw-queue","hw-queue","hwpt-nested","hwpt-paging","ioas","vdevice","veventq","viommu"]' \
  '.busy_v.error | .errno == 16 and (.error | test("viommu [0-9]+ \\(v\\) is in use by vdevice [0-9]+ \\(vd\\), veventq [0-9]+ \\(q\\), hwpt [0-9]+ \\(nv\\), hw-queue [0-9]+ \\(hq\\) and hw-queue [0-9]+ \\(hq1\\)"))' \
  '.busy_hq.error | .errno == 16 and (.error | test("hw-queue [0-9]+ \\(hq\\) is in use by hw-queue [0-9]+ \\(hq1\\)"))' \
  'all(.rm_hq1, .rm_hq, .rm_q, .rm_vd, .back, .rm_nv, .rm_v, .rm_np; .result.destroyed != null or .result.attached != null)' \
  '.graph_end.result.objects | map(.type) == ["ioas","device","hwpt-paging"]'
report "refusal: $(jq -r '.busy_v.error.error' /tmp/r.json)"
