# machines: plain vtd vtd-next plain-next arm64-smmuv3 arm64-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: the iommufd object model, driven the way a user would:
# one `batch -j` session builds every object type the 6.12 kernel has (IOAS,
# mappings of each memory kind, a selftest mock device, a nest-parent and a
# nested hwpt, dirty tracking, a fault queue with an injected fault, an
# access), checks what each step answered, then tears everything down in a
# wrong order and checks that every refusal names what holds the object.
# The answers come from the real kernel: ids, ranges, the mock's aperture
# (0x1000000-0x7fffffff) and alignment are whatever it says; the checks are
# about relations (the auto hwpt the device reports is the one the refusal
# names, the graph after each step matches what was built). On the vtd and
# arm64 machines the edu device (on the root bus) is bound to vfio-pci and
# `ioas ranges --device` must show its group's MSI reserved region (VT-d's
# hardware window at 0xfee00000, SMMUv3's software window on virt) as a hole,
# a mapping into it must be refused naming the reserved region, and a nest
# parent is refused unless the IOMMU has stage 2 (arm64-next's SMMUv3 with
# stage=nested). vIOMMU and its children do not
# exist in 6.12: those verbs must exit 3 saying which ioctl is missing.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

has_viommu=$("$IOMMUCTL" -j probe | jq '.ioctls[] | select(.name == "IOMMU_VIOMMU_ALLOC") | .present')
if machine_is plain; then
# On 6.12 the selftest mock device cannot be made where a real IOMMU driver
# is active (the vtd machine); there a real device is used below.
cat >/tmp/s1.batch <<'EOF'
# an IOAS, two mappings, a mock device, the graph
@guest ioas create --name guest
option set huge-pages off --ioas guest
@m0 device mock --ioas guest --name m0
@map_anon ioas map guest --size 2M --iova 0x1000000
@map_memfd ioas map guest --size 64k --memfd
@graph objects
# ranges, and refusals with explanations
@ranges ioas ranges guest
@map_reserved ioas map guest --size 4k --iova 0x0
@map_overlap ioas map guest --size 4k --iova 0x1100000
@unmap_cut ioas unmap guest --iova 0x1001000 --size 4k
@destroy_busy ioas destroy guest
# nest parent with dirty tracking, nested hwpt, invalidation, replace
@parent hwpt alloc --device m0 --ioas guest --nest-parent --dirty-tracking --name parent
@nested hwpt alloc --device m0 --parent parent --data-type selftest --iotlb 7 --name nested
@invalidate hwpt invalidate nested --all
@replace_parent device replace m0 --pt parent
# dirty bits: enable, mark four pages, read (and clear), read again
@dirty_on hwpt dirty parent --enable
@mark_dirty hwpt mark-dirty parent --iova 0x1000000 --size 16k --page-size 4k
@dirty_read hwpt dirty parent --read --iova 0x1000000 --size 2M --page-size 4k
@dirty_again hwpt dirty parent --read --iova 0x1000000 --size 2M --page-size 4k
# fault queue: a fault-capable hwpt, inject, read, respond
@fq fault create --name fq
@faulty hwpt alloc --device m0 --parent parent --fault fq --name faulty
@replace_faulty device replace m0 --pt faulty
@inject fault inject --device m0 --addr 0x1000000 --perm rw
@fault_read fault read fq --timeout 2000
@respond fault respond fq --cookie 1
# an access writes and reads IOVA; copy and allow in a second IOAS
@mdev access create --ioas guest --name mdev
@write access rw mdev --iova 0x1000000 --write-hex c0ffee11
@read access rw mdev --iova 0x1000000 --read 4
ioas create --name second
@copy ioas copy second --from guest --src-iova 0x1000000 --size 2M --iova 0x4000000
@allow ioas allow second 0x8000000-0x8ffffff
@map_allowed ioas map second --size 64k
@options option show --ioas guest
@rlimit_late option set rlimit-mode process
# the graph; vIOMMU (absent in 6.12)
@graph_full objects
@viommu viommu alloc --device m0 --hwpt parent --type selftest
@ioas_show ioas show guest
@hwpt_show hwpt show
# wrong-order teardown: every refusal explained
@busy_guest ioas destroy guest
@busy_parent hwpt destroy parent
@busy_fq fault destroy fq
@busy_faulty hwpt destroy faulty
@unbind device unbind m0
@rm_faulty hwpt destroy faulty
# now in the right order
@rm_nested hwpt destroy nested
@rm_parent hwpt destroy parent
@rm_fq fault destroy fq
@busy_mdev ioas destroy guest
@rm_mdev access destroy mdev
@rm_guest ioas destroy guest
@unmap_all ioas unmap second --all
# a mapping where the device's IOMMU cannot reach refuses the attach
@rm_second ioas destroy second
ioas create --name late
ioas map late --size 4k --iova 0x1000
@mock_late device mock --ioas late
@graph_late objects
EOF

# kernels with vIOMMU (6.13+): viommu.sh covers it; the line keeps its tag
[ "$has_viommu" = false ] || sed -i 's/^@viommu viommu alloc .*/@viommu viommu show/' /tmp/s1.batch
echo "+ iommuctl batch --results --keep-going /tmp/s1.batch > /tmp/s1.json"
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/s1.batch >/tmp/s1.json 2>/tmp/s1.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/s1.err
[ "$RC" -eq 1 ] || fail "batch with expected refusals exited $RC, expected 1"
by_tag /tmp/s1.json /tmp/r.json 56

# each line's document by its tag: .TAG.result, .TAG.error, .TAG.exit
check_jsons /tmp/r.json \
  '.guest.result | .type == "ioas" and .name == "guest" and (.id | type) == "number"' \
  '.map_anon.result | .iova == "0x1000000" and .length == 2097152 and .memory == "anon" and .perm == "rw"' \
  '.map_memfd.result | .memory == "memfd" and .length == 65536 and (.iova | test("^0x[1-7][0-9a-f]{6}$"))' \
  '.m0.result | .type == "device" and .mock == true and .name == "m0" and (.device | startswith("iommufd_mock"))' \
  '.graph.result.objects | map(.type) == ["ioas","device","hwpt-paging"]' \
  '.graph.result.objects as $o | ($o[2].auto == true) and ($o[2].ioas == .guest.result.id) and ($o[1].attached == $o[2].id)' \
  '.ranges.result | .ranges[0].start == "0x1000000" and .ranges[-1].last == "0x7fffffff" and .alignment > 0' \
  '.map_reserved.error | .errno == 22 and (.error | test("overlaps reserved IOVA range 0x0-0xffffff .*outside the IOVA aperture of device [0-9]+ \\(m0\\) \\(mock\\)"))' \
  '.map_overlap.error | .errno == 17 and (.error | test("overlaps mapping 0x1000000-0x11fffff \\(anon\\)"))' \
  '.unmap_cut.error | .errno == 2 and (.error | test("cuts through mapping 0x1000000-0x11fffff.*starts at 0x1000000 and is 0x200000 bytes"))' \
  '. as $r | $r.destroy_busy.error.errno == 16 and ($r.destroy_busy.error.error | test("ioas [0-9]+ \\(guest\\) is in use by hwpt " + ($r.graph.result.objects[2].id|tostring) + " \\(made by the kernel when device [0-9]+ \\(m0\\) attached\\)"))' \
  '.parent.result | .type == "hwpt-paging" and .flags == ["nest-parent","dirty-tracking"] and .auto == false' \
  '.nested.result.type == "hwpt-nested" and .nested.result.parent == .parent.result.id and .nested.result.data_type == "selftest"' \
  '.invalidate.exit == 0' \
  '.replace_parent.result.attached == .parent.result.id' \
  '.dirty_on.exit == 0 and .mark_dirty.exit == 0' \
  '.dirty_read.result | .dirty_count == 4 and .dirty == ["0x1000000","0x1001000","0x1002000","0x1003000"]' \
  '.dirty_again.result.dirty_count == 0' \
  '.fq.result | .type == "fault" and (.fd | type) == "number"' \
  '.faulty.result.fault == .fq.result.id and .faulty.result.parent == .parent.result.id and (.faulty.result.flags | index("fault"))' \
  '.replace_faulty.result.attached == .faulty.result.id' \
  '.inject.exit == 0' \
  '.fault_read.result.faults | length == 1' \
  '.fault_read.result.faults[0] as $f | $f.addr == "0x1000000" and $f.cookie == 1 and $f.dev_id == .m0.result.id' \
  '.respond.exit == 0' \
  '.mdev.result | .type == "access" and .name == "mdev" and .id == null' \
  '.write.exit == 0 and .read.result.read == "c0ffee11"' \
  '.copy.result.iova == "0x4000000" and .copy.result.memory == "copy" and .copy.result.copied_from == .guest.result.id' \
  '.allow.result.allowed == [{"start":"0x8000000","last":"0x8ffffff"}]' \
  '.map_allowed.result.iova | test("^0x8[0-9a-f]{6}$")' \
  '.options.result | .rlimit_mode == "user" and .huge_pages == false' \
  '.rlimit_late.error | .errno == 16 and (.error | test("only change before the session has objects"))' \
  '[.graph_full.result.objects[] | .type] | sort == ["access","device","fault","hwpt-nested","hwpt-nested","hwpt-paging","ioas","ioas"]' \
  '(.viommu.result // {} | has("viommus")) or (.viommu.error | .errno == 25 and (.error | test("no IOMMU_VIOMMU_ALLOC \\(added in Linux 6.13\\)")))' \
  '.ioas_show.result.ioas[0].mappings | length == 2' \
  '.ioas_show.result.ioas[0].users | length == 2' \
  '.hwpt_show.result.hwpts | length == 3' \
  '.busy_guest.error | .errno == 16 and (.error | test("in use by hwpt [0-9]+ \\(parent\\) and access \\(mdev\\)"))' \
  '.busy_parent.error | .errno == 16 and (.error | test("hwpt [0-9]+ \\(parent\\) is in use by hwpt [0-9]+ \\(nested\\) and hwpt [0-9]+ \\(faulty\\)"))' \
  '.busy_fq.error | .errno == 16 and (.error | test("fault [0-9]+ \\(fq\\) is in use by hwpt [0-9]+ \\(faulty\\)"))' \
  '.busy_faulty.error | .errno == 16 and (.error | test("hwpt [0-9]+ \\(faulty\\) is in use by device [0-9]+ \\(m0\\) \\(mock iommufd_mock[0-9]+, attached\\)"))' \
  '.unbind.result.destroyed != null and .rm_faulty.result.destroyed != null' \
  '.rm_nested.result.destroyed != null and .rm_parent.result.destroyed != null and .rm_fq.result.destroyed != null' \
  '.busy_mdev.error | .errno == 16 and (.error | test("access \\(mdev\\)"))' \
  '.rm_mdev.result.destroyed != null and .rm_guest.result.destroyed != null' \
  '.unmap_all.result.unmapped_bytes == 2162688' \
  '.rm_second.result.destroyed != null' \
  '.mock_late.error | .errno == 98 and (.error | test("mapping 0x1000-0x1fff of ioas [0-9]+ \\(late\\) lies outside the IOVA aperture 0x1000000-0x7fffffff"))' \
  '.graph_late.result.objects | map(.name) == ["late"]'

report "refusal: $(jq -r '.busy_guest.error.error' /tmp/r.json)"
report "refusal: $(jq -r '.unmap_cut.error.error' /tmp/r.json)"
report "refusal: $(jq -r '.mock_late.error.error' /tmp/r.json)"

fi

# The legacy VFIO container's IOAS, and IOAS_CHANGE_PROCESS (6.13)
printf '@c ioas create --name c\n@compat ioas vfio-compat\n@compat_set ioas vfio-compat c\n@compat_clear ioas vfio-compat --clear\nioas map c --size 64k\n@change ioas change-process\n' >/tmp/s4.batch
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/s4.batch >/tmp/s4.json 2>/tmp/s4.err
set -e
sed 's/^/  stderr| /' /tmp/s4.err
by_tag /tmp/s4.json /tmp/r4.json 6
check_jsons /tmp/r4.json \
  '.compat.result.ioas == null and .compat_set.result.ioas == .c.result.id and .compat_clear.result.ioas == null' \
  '.change.error | (.errno == 25 and (.error | test("no IOMMU_IOAS_CHANGE_PROCESS \\(added in Linux 6.13\\)"))) or (.errno == 22 and (.error | test("only file mappings .* mapping 0x[0-9a-f]+-0x[0-9a-f]+ \\(memfd|anon\\)")))'

# The same session without --keep-going stops at the first refusal, exit 1
printf 'ioas create\nioas destroy 999\nioas create\n' >/tmp/s2.batch
expect_rc 1 "$IOMMUCTL" batch /tmp/s2.batch

# One-shot: objects die with the process; a second command cannot see them
expect_rc 0 "$IOMMUCTL" ioas create
expect_rc 1 "$IOMMUCTL" ioas destroy 1
# A 6.12 kernel has no vIOMMU: exit 3 naming the ioctl, also one-shot
if [ "$has_viommu" = false ]; then
  json_to /tmp/v.json sh -c "'$IOMMUCTL' -j viommu alloc --device 1 --hwpt 2 --type selftest; test \$? -eq 3"
  check_json '.errno == 25 and (.error | test("no IOMMU_VIOMMU_ALLOC"))' /tmp/v.json
fi

if machine_is vtd vtd-next arm64-smmuv3 arm64-next; then
  # A real device: bind edu to vfio-pci, then ask the kernel for its ranges
  bdf=$(for d in /sys/bus/pci/devices/0000:00:*; do
    [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && { echo "${d##*/}"; break; }
  done)
  [ -n "$bdf" ] || fail "no edu device on the root bus"
  # (given back at the end: later scenarios of this boot expect it unbound)
  export IOMMUCTL_RUN_DIR=/run/iommuctl
  mkdir -p /run
  ok "$IOMMUCTL" vfio bind $bdf
  trap '"$IOMMUCTL" vfio restore $bdf' EXIT
  [ -d /sys/bus/pci/devices/$bdf/vfio-dev ] || fail "edu did not bind to vfio-pci"
  # the MSI window: the msi reserved region of edu's group (the group forms on binding)
  set -- $(grep ' msi$' "/sys/bus/pci/devices/$bdf/iommu_group/reserved_regions")
  [ $# = 3 ] || fail "no msi reserved region in the group of $bdf"
  ws=$(printf '0x%x' "$1") we=$(printf '0x%x' "$2")
  json_to /tmp/rg.json "$IOMMUCTL" -j ioas ranges --device $bdf
  check_jsons /tmp/rg.json \
    ".device == \"$bdf\"" \
    "any(.ranges[]; .last == \"$(printf '0x%x' $((ws - 1)))\") and any(.ranges[]; .start == \"$(printf '0x%x' $((we + 1)))\")"
  # (6.12's SMMUv3 driver answers IOMMU_GET_HW_INFO with no data: its iommufd part, which
  # reports the IDR registers, is CONFIG_ARM_SMMU_V3_IOMMUFD of 6.14+)
  case $MACHINE in
    vtd*) hwtype=intel-vtd ;;
    arm64-smmuv3) hwtype=none ;;
    *) hwtype=arm-smmuv3 ;;
  esac
  # a nest parent needs stage 2: QEMU's VT-d and virt's own SMMUv3 (stage 1) have none
  if machine_is arm64-next; then np='.nest_parent.result.id != null'; else np='.nest_parent.error.errno == 95'; fi
  cat >/tmp/s3.batch <<EOF
@v ioas create --name v
@edu device bind $bdf --name edu
@attach device attach edu --pt v
@map_msi ioas map v --size 4k --iova $ws
@map ioas map v --size 4k --iova 0x100000
@hw_info device hw-info edu
@graph objects
@busy_v ioas destroy v
ioas create --name w
@replace device replace edu --pt w
@graph_w objects
@rm_v ioas destroy v
@nest_parent hwpt alloc --device edu --ioas w --nest-parent --name np
@rm_np hwpt destroy np
@unbind device unbind edu
@rm_w ioas destroy w
@graph_empty objects
EOF
  set +e
  "$IOMMUCTL" batch --results --keep-going /tmp/s3.batch >/tmp/s3.json 2>/tmp/s3.err
  set -e
  sed 's/^/  stderr| /' /tmp/s3.err
  by_tag /tmp/s3.json /tmp/r3.json 17
  check_jsons /tmp/r3.json \
    ".edu.result | .mock == false and .device == \"$bdf\"" \
    '.attach.result.attached != null' \
    ".map_msi.error | .errno == 22 and (.error | test(\"overlaps reserved IOVA range $ws-$we .*reserved region $ws-$we \\\\(msi\\\\) of group [0-9]+, device [0-9]+ \\\\(edu\\\\)\"))" \
    '.map.result.iova == "0x100000"' \
    ".hw_info.result.type == \"$hwtype\"" \
    '.graph.result.objects | map(.type) == ["ioas","device","hwpt-paging"]' \
    '.busy_v.error | .errno == 16 and (.error | test("in use by hwpt [0-9]+ \\(made by the kernel when device [0-9]+ \\(edu\\) attached\\)"))' \
    '.replace.result.attached != .attach.result.attached' \
    '.graph_w.result.objects | map(.type) == ["ioas","device","ioas","hwpt-paging"]' \
    '.rm_v.result.destroyed != null' \
    "$np" \
    '.unbind.result.destroyed != null and .rm_w.result.destroyed != null and .graph_empty.result.objects == []'
  report "real device: $(jq -r '.map_msi.error.error' /tmp/r3.json)"
  report "real device: nest parent: $(jq -c '.nest_parent.result.id // .nest_parent.error.error' /tmp/r3.json)"
fi
