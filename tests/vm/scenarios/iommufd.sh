# machines: plain vtd
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
# names, the graph after each step matches what was built). On the vtd
# machine the edu device (00:03.0) is bound to vfio-pci and `ioas ranges
# --device` must show the VT-d MSI window as a hole, and a mapping into it
# must be refused naming the reserved region. vIOMMU and its children do not
# exist in 6.12: those verbs must exit 3 saying which ioctl is missing.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

has_viommu=$("$IOMMUCTL" -j probe | jq '.ioctls[] | select(.name == "IOMMU_VIOMMU_ALLOC") | .present')
if machine_is plain; then
# On 6.12 the selftest mock device cannot be made where a real IOMMU driver
# is active (the vtd machine); there a real device is used below.
cat >/tmp/s1.batch <<'EOF'
# 0..4: an IOAS, two mappings, a mock device, the graph
ioas create --name guest
option set huge-pages off --ioas guest
device mock --ioas guest --name m0
ioas map guest --size 2M --iova 0x1000000
ioas map guest --size 64k --memfd
objects
# 5..9: ranges, and refusals with explanations
ioas ranges guest
ioas map guest --size 4k --iova 0x0
ioas map guest --size 4k --iova 0x1100000
ioas unmap guest --iova 0x1001000 --size 4k
ioas destroy guest
# 10..13: nest parent with dirty tracking, nested hwpt, invalidation, replace
hwpt alloc --device m0 --ioas guest --nest-parent --dirty-tracking --name parent
hwpt alloc --device m0 --parent parent --data-type selftest --iotlb 7 --name nested
hwpt invalidate nested --all
device replace m0 --pt parent
# 14..17: dirty bits: enable, mark four pages, read (and clear), read again
hwpt dirty parent --enable
hwpt mark-dirty parent --iova 0x1000000 --size 16k --page-size 4k
hwpt dirty parent --read --iova 0x1000000 --size 2M --page-size 4k
hwpt dirty parent --read --iova 0x1000000 --size 2M --page-size 4k
# 18..22: fault queue: a fault-capable hwpt, inject, read, respond
fault create --name fq
hwpt alloc --device m0 --parent parent --fault fq --name faulty
device replace m0 --pt faulty
fault inject --device m0 --addr 0x1000000 --perm rw
fault read fq --timeout 2000
# 23..27: an access writes and reads IOVA; copy and allow in a second IOAS
fault respond fq --cookie 1
access create --ioas guest --name mdev
access rw mdev --iova 0x1000000 --write-hex c0ffee11
access rw mdev --iova 0x1000000 --read 4
ioas create --name second
# 28..32
ioas copy second --from guest --src-iova 0x1000000 --size 2M --iova 0x4000000
ioas allow second 0x8000000-0x8ffffff
ioas map second --size 64k
option show --ioas guest
option set rlimit-mode process
# 33..36: the graph; vIOMMU (absent in 6.12)
objects
viommu alloc --device m0 --hwpt parent --type selftest
ioas show guest
hwpt show
# 37..42: wrong-order teardown: every refusal explained
ioas destroy guest
hwpt destroy parent
fault destroy fq
hwpt destroy faulty
device unbind m0
hwpt destroy faulty
# 43..49: now in the right order
hwpt destroy nested
hwpt destroy parent
fault destroy fq
ioas destroy guest
access destroy mdev
ioas destroy guest
ioas unmap second --all
# 50..54: a mapping where the device's IOMMU cannot reach refuses the attach
ioas destroy second
ioas create --name late
ioas map late --size 4k --iova 0x1000
device mock --ioas late
objects
EOF

# kernels with vIOMMU (6.13+): viommu.sh covers it; keep the indices here
[ "$has_viommu" = false ] || sed -i 's/^viommu alloc .*/viommu show/' /tmp/s1.batch
echo "+ iommuctl -j batch --keep-going /tmp/s1.batch > /tmp/s1.json"
set +e
"$IOMMUCTL" -j batch --keep-going /tmp/s1.batch >/tmp/s1.json 2>/tmp/s1.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/s1.err
[ "$RC" -eq 1 ] || fail "batch with expected refusals exited $RC, expected 1"
jq -s . /tmp/s1.json >/tmp/r.json || fail "batch -j output is not one JSON document per command"

# r(N): result of batch command N
check_jsons /tmp/r.json \
  'length == 56' \
  '.[0].type == "ioas" and .[0].name == "guest" and (.[0].id | type) == "number"' \
  '.[3].iova == "0x1000000" and .[3].length == 2097152 and .[3].memory == "anon" and .[3].perm == "rw"' \
  '.[4].memory == "memfd" and .[4].length == 65536 and (.[4].iova | test("^0x[1-7][0-9a-f]{6}$"))' \
  '.[2].type == "device" and .[2].mock == true and .[2].name == "m0" and (.[2].device | startswith("iommufd_mock"))' \
  '.[5].objects | map(.type) == ["ioas","device","hwpt-paging"]' \
  '(.[5].objects[2].auto == true) and (.[5].objects[2].ioas == .[0].id) and (.[5].objects[1].attached == .[5].objects[2].id)' \
  '.[6].ranges[0].start == "0x1000000" and .[6].ranges[-1].last == "0x7fffffff" and .[6].alignment > 0' \
  '.[7].errno == 22 and (.[7].error | test("overlaps reserved IOVA range 0x0-0xffffff .*outside the IOVA aperture of device [0-9]+ \\(m0\\) \\(mock\\)"))' \
  '.[8].errno == 17 and (.[8].error | test("overlaps mapping 0x1000000-0x11fffff \\(anon\\)"))' \
  '.[9].errno == 2 and (.[9].error | test("cuts through mapping 0x1000000-0x11fffff.*starts at 0x1000000 and is 0x200000 bytes"))' \
  '. as $r | $r[10].errno == 16 and ($r[10].error | test("ioas [0-9]+ \\(guest\\) is in use by hwpt " + ($r[5].objects[2].id|tostring) + " \\(made by the kernel when device [0-9]+ \\(m0\\) attached\\)"))' \
  '.[11].type == "hwpt-paging" and .[11].flags == ["nest-parent","dirty-tracking"] and .[11].auto == false' \
  '.[12].type == "hwpt-nested" and .[12].parent == .[11].id and .[12].data_type == "selftest"' \
  '.[13].error == null' \
  '.[14].attached == .[11].id' \
  '.[15].error == null and .[16].error == null' \
  '.[17].dirty_count == 4 and .[17].dirty == ["0x1000000","0x1001000","0x1002000","0x1003000"]' \
  '.[18].dirty_count == 0' \
  '.[19].type == "fault" and (.[19].fd | type) == "number"' \
  '.[20].fault == .[19].id and .[20].parent == .[11].id and (.[20].flags | index("fault"))' \
  '.[21].attached == .[20].id' \
  '.[22].error == null' \
  '.[23].faults | length == 1' \
  '.[23].faults[0].addr == "0x1000000" and .[23].faults[0].cookie == 1 and .[23].faults[0].dev_id == .[2].id' \
  '.[24].error == null' \
  '.[25].type == "access" and .[25].name == "mdev" and .[25].id == null' \
  '.[26].error == null and .[27].read == "c0ffee11"' \
  '.[29].iova == "0x4000000" and .[29].memory == "copy" and .[29].copied_from == .[0].id' \
  '.[30].allowed == [{"start":"0x8000000","last":"0x8ffffff"}]' \
  '.[31].iova | test("^0x8[0-9a-f]{6}$")' \
  '.[32].rlimit_mode == "user" and .[32].huge_pages == false' \
  '.[33].errno == 16 and (.[33].error | test("only change before the session has objects"))' \
  '[.[34].objects[] | .type] | sort == ["access","device","fault","hwpt-nested","hwpt-nested","hwpt-paging","ioas","ioas"]' \
  '(.[35] | has("viommus")) or (.[35].errno == 25 and (.[35].error | test("no IOMMU_VIOMMU_ALLOC \\(added in Linux 6.13\\)")))' \
  '.[36].ioas[0].mappings | length == 2' \
  '.[36].ioas[0].users | length == 2' \
  '.[37].hwpts | length == 3' \
  '.[38].errno == 16 and (.[38].error | test("in use by hwpt [0-9]+ \\(parent\\) and access \\(mdev\\)"))' \
  '.[39].errno == 16 and (.[39].error | test("hwpt [0-9]+ \\(parent\\) is in use by hwpt [0-9]+ \\(nested\\) and hwpt [0-9]+ \\(faulty\\)"))' \
  '.[40].errno == 16 and (.[40].error | test("fault [0-9]+ \\(fq\\) is in use by hwpt [0-9]+ \\(faulty\\)"))' \
  '.[41].errno == 16 and (.[41].error | test("hwpt [0-9]+ \\(faulty\\) is in use by device [0-9]+ \\(m0\\) \\(mock iommufd_mock[0-9]+, attached\\)"))' \
  '.[42].destroyed != null and .[43].destroyed != null' \
  '.[44].destroyed != null and .[45].destroyed != null and .[46].destroyed != null' \
  '.[47].errno == 16 and (.[47].error | test("access \\(mdev\\)"))' \
  '.[48].destroyed != null and .[49].destroyed != null' \
  '.[50].unmapped_bytes == 2162688' \
  '.[51].destroyed != null' \
  '.[54].errno == 98 and (.[54].error | test("mapping 0x1000-0x1fff of ioas [0-9]+ \\(late\\) lies outside the IOVA aperture 0x1000000-0x7fffffff"))' \
  '.[55].objects | map(.name) == ["late"]'

report "refusal: $(jq -r '.[38].error' /tmp/r.json)"
report "refusal: $(jq -r '.[9].error' /tmp/r.json)"
report "refusal: $(jq -r '.[54].error' /tmp/r.json)"

fi

# The legacy VFIO container's IOAS, and IOAS_CHANGE_PROCESS (6.13)
printf 'ioas create --name c\nioas vfio-compat\nioas vfio-compat c\nioas vfio-compat --clear\nioas map c --size 64k\nioas change-process\n' >/tmp/s4.batch
set +e
"$IOMMUCTL" -j batch --keep-going /tmp/s4.batch >/tmp/s4.json 2>/tmp/s4.err
set -e
sed 's/^/  stderr| /' /tmp/s4.err
jq -s . /tmp/s4.json >/tmp/r4.json
check_jsons /tmp/r4.json \
  'length == 6' \
  '.[1].ioas == null and .[2].ioas == .[0].id and .[3].ioas == null' \
  '(.[5].errno == 25 and (.[5].error | test("no IOMMU_IOAS_CHANGE_PROCESS \\(added in Linux 6.13\\)"))) or (.[5].errno == 22 and (.[5].error | test("only file mappings .* mapping 0x[0-9a-f]+-0x[0-9a-f]+ \\(memfd|anon\\)")))'

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

if machine_is vtd; then
  # A real device: bind edu to vfio-pci, then ask the kernel for its ranges
  bdf=0000:00:03.0
  # (given back at the end: later scenarios of this boot expect it unbound)
  export IOMMUCTL_RUN_DIR=/run/iommuctl
  mkdir -p /run
  ok "$IOMMUCTL" vfio bind $bdf
  trap '"$IOMMUCTL" vfio restore $bdf' EXIT
  [ -d /sys/bus/pci/devices/$bdf/vfio-dev ] || fail "edu did not bind to vfio-pci"
  json_to /tmp/rg.json "$IOMMUCTL" -j ioas ranges --device $bdf
  check_jsons /tmp/rg.json \
    '.device == "0000:00:03.0"' \
    'any(.ranges[]; .last == "0xfedfffff") and any(.ranges[]; .start == "0xfef00000")'
  cat >/tmp/s3.batch <<EOF
ioas create --name v
device bind $bdf --name edu
device attach edu --pt v
ioas map v --size 4k --iova 0xfee00000
ioas map v --size 4k --iova 0x100000
device hw-info edu
objects
ioas destroy v
ioas create --name w
device replace edu --pt w
objects
ioas destroy v
hwpt alloc --device edu --ioas w --nest-parent
device unbind edu
ioas destroy w
objects
EOF
  set +e
  "$IOMMUCTL" -j batch --keep-going /tmp/s3.batch >/tmp/s3.json 2>/tmp/s3.err
  set -e
  sed 's/^/  stderr| /' /tmp/s3.err
  jq -s . /tmp/s3.json >/tmp/r3.json
  check_jsons /tmp/r3.json \
    'length == 16' \
    '.[1].mock == false and .[1].device == "0000:00:03.0"' \
    '.[2].attached != null' \
    '.[3].errno == 22 and (.[3].error | test("overlaps reserved IOVA range 0xfee00000-0xfeefffff .*reserved region 0xfee00000-0xfeefffff \\(msi\\) of group [0-9]+, device [0-9]+ \\(edu\\)"))' \
    '.[4].iova == "0x100000"' \
    '.[5] | tostring | test("intel-vtd")' \
    '.[6].objects | map(.type) == ["ioas","device","hwpt-paging"]' \
    '.[7].errno == 16 and (.[7].error | test("in use by hwpt [0-9]+ \\(made by the kernel when device [0-9]+ \\(edu\\) attached\\)"))' \
    '.[9].attached != .[2].attached' \
    '.[10].objects | map(.type) == ["ioas","device","ioas","hwpt-paging"]' \
    '.[11].destroyed != null' \
    '.[12].errno == 95' \
    '.[13].destroyed != null and .[14].destroyed != null and .[15].objects == []'
  report "real device: $(jq -r '.[3].error' /tmp/r3.json)"
  report "real device: $(jq -r '.[12].error' /tmp/r3.json)"
fi
