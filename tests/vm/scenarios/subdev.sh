# machines: vtd-next
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
# detaches; the mdev is removed on the way out.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

types=/sys/class/mdev_bus/mtty/mdev_supported_types
[ -d "$types" ] || skip "no mtty mdev parent (CONFIG_SAMPLE_VFIO_MDEV_MTTY)"
type=$(ls "$types" | head -n 1)
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >"$types/$type/create" || fail "could not create an mdev of type $type"
trap 'echo 1 >/sys/bus/mdev/devices/$u/remove' EXIT
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
