# machines: vtd vtd-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: a sub-device, made the way a VMM's management layer
# makes one. The kernel's mtty sample is an mdev parent: writing a UUID to
# one of its mdev_supported_types/TYPE/create makes a mediated device with
# an emulated IOMMU group of its own (no IOMMU unit behind it) and a VFIO
# cdev. Ground truth comes from sysfs in the guest (the mdev's group, driver,
# cdev, parent directory and type link); iommuctl must show the mdev in
# device list/show (parent and type), its group as viable (its driver is a
# VFIO driver) and explain it as an emulated group. Then one batch session
# binds the mdev's cdev, attaches it to an IOAS (the kernel answers with the
# IOAS itself: an access, no hwpt, shown as emulated), asks for hardware info
# (refused: no IOMMU behind it, said so), replaces the IOAS with another and
# detaches. The mdev is made with `vfio mdev` (journaled: `vfio status`
# lists it) and removed with `vfio restore UUID`: refused while the session
# holds its cdev open, done after; the guest sees it gone from sysfs and the
# parent's available_instances back where it was.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

types=/sys/class/mdev_bus/mtty/mdev_supported_types
[ -d "$types" ] || skip "no mtty mdev parent (CONFIG_SAMPLE_VFIO_MDEV_MTTY)"
type=$(ls "$types" | head -n 1)
export IOMMUCTL_RUN_DIR=/run/iommuctl
avail=$(cat "$types/$type/available_instances")
ok "$IOMMUCTL" vfio mdev --dry-run --type "$type" mtty
assert_eq "$(ls /sys/bus/mdev/devices | wc -l)" 0 "mdevs after --dry-run"
expect_rc 1 "$IOMMUCTL" vfio mdev --type no-such-type mtty
json_to /tmp/mk.json "$IOMMUCTL" -j vfio mdev --type "$type" mtty
u=$(jq -r '.steps[0].device' /tmp/mk.json)
trap '[ ! -e /sys/bus/mdev/devices/$u ] || echo 1 >/sys/bus/mdev/devices/$u/remove' EXIT
[ -d "/sys/bus/mdev/devices/$u" ] || fail "no mdev $u in sysfs after vfio mdev"
check_json ".steps[0].action == \"create-mdev\" and .steps[0].done and .steps[0].target == \"$type\" and .steps[0].cdev == \"$(ls /sys/bus/mdev/devices/$u/vfio-dev)\"" /tmp/mk.json
json_to /tmp/st.json "$IOMMUCTL" -j vfio status
check_json ".devices | any(.[]; .device == \"$u\" and .kind == \"mdev\" and .parent == \"mtty\" and .mdev_type == \"$type\" and .present)" /tmp/st.json
m=/sys/bus/mdev/devices/$u
g=$(basename "$(readlink "$m/iommu_group")")
drv=$(basename "$(readlink "$m/driver")")
cdev=$(ls "$m/vfio-dev")
parent=$(basename "$(dirname "$(readlink -f "$m")")")
gtype=$(cat "/sys/kernel/iommu_groups/$g/type")
report "mdev $u: type $type, parent $parent, group $g ($gtype), driver $drv, cdev $cdev"

json_to /tmp/dl.json "$IOMMUCTL" -j device list
check_json "any(.[]; .name == \"$u\" and .subsystem == \"mdev\" and .group == $g and .driver == \"$drv\" and .vfio_cdev == \"$cdev\" and .iommu == null and .bdf == null)" /tmp/dl.json
json_to /tmp/ds.json "$IOMMUCTL" -j device show "$u"
check_json ".parent == \"$parent\" and .mdev_type == \"$type\"" /tmp/ds.json
ok "$IOMMUCTL" device show "$u"
json_to /tmp/gs.json "$IOMMUCTL" -j group show "$g"
check_json ".type == \"$gtype\" and .iommu == null and .viable and (.devices | map(.name)) == [\"$u\"]" /tmp/gs.json
json_to /tmp/ge.json "$IOMMUCTL" -j group explain "$g"
check_json ".agrees and (.devices[] | select(.name == \"$u\") | .reason == \"emulated\" and (.message | test(\"mediated device \\\\(mdev\\\\) of $parent, type $type\")))" /tmp/ge.json

cat >/tmp/s.batch <<B
@a ioas create --name a
@map ioas map a --size 64k --iova 0x100000
@bind device bind $u --name m
@att device attach m --pt a
@objs objects
@hw device hw-info m
@b ioas create --name b
@rep device replace m --pt b
@det device detach m
B
"$IOMMUCTL" batch -k --results /tmp/s.batch >/tmp/s.out || [ $? = 1 ] || fail "batch failed"
by_tag /tmp/s.out /tmp/s.json 9
check_jsons /tmp/s.json \
  ".bind.result.device == \"$u\" and .bind.result.mock == false" \
  '.att.exit == 0 and .att.result.attached == .a.result.id and .att.result.emulated == true' \
  '.objs.result.objects | any(.[]; .type == "device" and .emulated == true)' \
  '.objs.result.objects | all(.[]; .type != "hwpt-paging")' \
  '.hw.exit == 1 and (.hw.error.error | test("emulated device \\(an mdev\\).*as an access"))' \
  '.rep.exit == 0 and .rep.result.attached == .b.result.id and .rep.result.emulated == true' \
  '.det.exit == 0 and (.det.result | has("attached") | not)'
report "session: $(jq -r '.hw.error.error' /tmp/s.json)"

# removing it: refused while a process holds its cdev, then done
cdev=$(ls "/sys/bus/mdev/devices/$u/vfio-dev")
sleep 60 </dev/vfio/devices/"$cdev" &
holder=$!
sleep 0.5
"$IOMMUCTL" vfio restore "$u" 2>/tmp/hold.err && fail "restore removed $u while pid $holder holds $cdev"
grep -q "open by pid $holder" /tmp/hold.err || { cat /tmp/hold.err; fail "the refusal does not name pid $holder"; }
[ -e "/sys/bus/mdev/devices/$u" ] || fail "mdev $u is gone after a refused restore"
kill $holder; wait $holder 2>/dev/null || true
expect_rc 1 "$IOMMUCTL" vfio restore 00000000-0000-0000-0000-000000000000
json_to /tmp/rm.json "$IOMMUCTL" -j vfio restore "$u"
check_json ".steps[0].device == \"$u\" and .steps[0].action == \"remove-mdev\" and .steps[0].done" /tmp/rm.json
[ ! -e "/sys/bus/mdev/devices/$u" ] || fail "mdev $u still exists after vfio restore"
assert_eq "$(cat "$types/$type/available_instances")" "$avail" "available_instances after the mdev is removed"
json_to /tmp/st.json "$IOMMUCTL" -j vfio status
check_json ".devices == []" /tmp/st.json
