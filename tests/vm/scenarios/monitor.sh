# machines: vtd vtd-next
# timeout: 150
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: `iommuctl -j monitor --count N` runs in the background while the
# guest does things that make events, then every line it printed is matched against what
# the guest did and what sysfs says. The monitor hears kernel uevents through libudev (no
# udev daemon in the guest: the kernel's own) and reads IOMMU faults from /dev/kmsg. It is
# started first and the scenario waits for its "listening" line on stderr. Then, in order:
#  1. `iommuctl vfio bind` of the root-bus edu (00:03.0, no driver before): driver-bind
#     vfio-pci, vfio-group-add (/dev/vfio/G, G its group in sysfs) and vfio-cdev-add
#     (/dev/vfio/devices/vfioN, the node sysfs names), in any order;
#  2. edu-dma --after-unmap (tests/vm/progs) makes the edu write to an IOVA it has just
#     unmapped: one fault, VT-d, device 00:03.0, write, addr 0x201000 (the program's "dst=");
#     the kernel's own DMAR line for it must be in dmesg too;
#  3. `iommuctl vfio restore`: vfio-cdev-remove, vfio-group-remove, driver-unbind naming
#     vfio-pci (the uevent does not carry it: the monitor remembers);
#  4. sysfs remove of the edu (alone in its group): device-remove 1234:11e8 with its group,
#     and group-remove of that group once /sys/kernel/iommu_groups/G is gone; then a PCI
#     rescan: device-add 00:03.0 and group-add of the group sysfs then shows;
#  5. hot-unplug through QEMU's monitor (the host relays "device_del hp-edu", see
#     tests/vm/host-lib.sh; pciehp on the switch's downstream port, native hot-plug given by
#     the machine's VM_NATIVE_HOTPLUG) of the edu at 04:00.0, waiting until it is gone from
#     sysfs, then "device_add edu,bus=dn2,id=hp-edu", waiting until it is back: device-remove
#     and device-add of 04:00.0. Its group holds the downstream port too, so it stays: no
#     group event (checked against sysfs before and after).
# N is the sum of those; an event too many or missing fails (the count, the timeout).
# Each event type's keys have one JSON type each (checked on every line).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e
require_prog edu-dma
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run

edu=0000:00:03.0
[ "$(cat /sys/bus/pci/devices/$edu/vendor):$(cat /sys/bus/pci/devices/$edu/device)" = 0x1234:0x11e8 ] ||
  fail "$edu is not the edu device"
[ ! -e /sys/bus/pci/devices/$edu/driver ] || fail "$edu has a driver already"
g_edu=$(basename "$(readlink /sys/bus/pci/devices/$edu/iommu_group)")
[ "$(ls /sys/kernel/iommu_groups/$g_edu/devices)" = $edu ] || fail "$edu is not alone in group $g_edu"

# the hot-pluggable edu: on a slot of its own (pciehp), the bus /sys/bus/pci/slots names
hp="" slot=""
for s in /sys/bus/pci/slots/*; do
  [ -e "$s/address" ] || continue
  a=$(cat "$s/address")
  [ -e "/sys/bus/pci/devices/$a.0" ] || continue
  [ "$(cat "/sys/bus/pci/devices/$a.0/vendor")" = 0x1234 ] || continue
  hp=$a.0 slot=$s
done
[ -n "$hp" ] || { ls -l /sys/bus/pci/slots; fail "no edu on a hot-plug slot (pciehp): is native hot-plug on (VM_NATIVE_HOTPLUG)?"; }
g_hp=$(basename "$(readlink /sys/bus/pci/devices/$hp/iommu_group)")
hp_shared=$(ls /sys/kernel/iommu_groups/$g_hp/devices | wc -l)
log "edu $edu (group $g_edu), hot-plug edu $hp on slot ${slot##*/} (group $g_hp, $hp_shared devices)"
[ "$hp_shared" -gt 1 ] || fail "expected $hp's group $g_hp to hold its port too"

n=$((3 + 1 + 3 + 4 + 2))
"$IOMMUCTL" -j monitor --count $n --timeout 120 >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
trap 'kill $mon 2>/dev/null; "$IOMMUCTL" vfio restore $edu >/dev/null 2>&1 || true' EXIT
i=0
until grep -q 'listening' /tmp/mon.err; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat /tmp/mon.err; fail "the monitor did not start listening"; }
  sleep 0.1
done
cat /tmp/mon.err

# 1. bind
ok "$IOMMUCTL" vfio bind $edu
cdev=$(vfio_cdev $edu)
# 2. a real DMA fault
before=$(dmesg | grep -c 'DMAR: \[DMA Write' || true)
edu-dma --device $edu --after-unmap >/tmp/dma.out 2>&1 || { cat /tmp/dma.out; fail "edu-dma failed"; }
grep -q '^after_unmap=done dst=0x201000$' /tmp/dma.out || { cat /tmp/dma.out; fail "edu-dma: no after_unmap=done"; }
i=0
until [ "$(dmesg | grep -c 'DMAR: \[DMA Write')" -gt "$before" ]; do
  i=$((i + 1)); [ $i -lt 50 ] || { dmesg | tail; fail "no DMAR fault in the kernel log"; }
  sleep 0.1
done
dmar=$(dmesg | grep 'DMAR: \[DMA Write' | sed -n "$((before + 1))p")
log "kernel: $dmar"
# 3. unbind
ok "$IOMMUCTL" vfio restore $edu
[ ! -e /sys/bus/pci/devices/$edu/driver ] || fail "$edu still has a driver after vfio restore"
# 4. remove and rescan
echo 1 >/sys/bus/pci/devices/$edu/remove
i=0
while [ -e /sys/kernel/iommu_groups/$g_edu ]; do
  i=$((i + 1)); [ $i -lt 50 ] || fail "group $g_edu still there after removing $edu"
  sleep 0.1
done
echo 1 >/sys/bus/pci/rescan
[ -e /sys/bus/pci/devices/$edu ] || fail "$edu did not come back on rescan"
g_edu2=$(basename "$(readlink /sys/bus/pci/devices/$edu/iommu_group)")
# 5. hot-unplug and re-plug through QEMU's monitor
qemu_monitor device_del hp-edu
i=0
while [ -e /sys/bus/pci/devices/$hp ]; do
  i=$((i + 1)); [ $i -lt 300 ] || fail "$hp still there 30 s after device_del hp-edu"
  sleep 0.1
done
# then pciehp powers the slot off
i=0
until [ "$(cat "$slot/power")" = 0 ]; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "slot ${slot##*/} still powered after $hp went away"
  sleep 0.1
done
[ -e /sys/kernel/iommu_groups/$g_hp ] || fail "group $g_hp went away with $hp (expected it to stay)"
# QEMU frees the device only when pciehp has also turned the slot's power indicator off, a
# second after the power (pciehp_ctrl.c remove_board()): until then device_add says
# "Duplicate device ID". So the request comes after that second, and is repeated until the
# device is back.
sleep 1.2
i=0
until [ -e /sys/bus/pci/devices/$hp ]; do
  [ $((i % 20)) != 0 ] || qemu_monitor device_add edu,bus=dn2,id=hp-edu
  i=$((i + 1)); [ $i -lt 300 ] || fail "$hp not back 30 s after device_add"
  sleep 0.1
done
g_hp2=$(basename "$(readlink /sys/bus/pci/devices/$hp/iommu_group)")
[ "$g_hp2" = "$g_hp" ] || fail "$hp came back in group $g_hp2, not $g_hp"

set +e
wait $mon
rc=$?
set -e
trap - EXIT
sed 's/^/  | /' /tmp/mon.json
cat /tmp/mon.err
[ "$rc" = 0 ] || fail "iommuctl monitor exited $rc"
jq -s . /tmp/mon.json >/tmp/ev.json
vfio_n=${cdev##*/}
# the events in the order they happened (within step 1 and 3 the kernel's own order)
check_jsons /tmp/ev.json \
  "length == $n" \
  "all(.[]; (.type|type) == \"string\" and (.usec|type) == \"number\" and (.seqnum|type) == \"number\"
     and ((.device|type) == \"string\" or .device == null) and ((.driver|type) == \"string\" or .driver == null)
     and ((.group|type) == \"number\" or .group == null))" \
  "[.[0:3][] | .type] | sort == [\"driver-bind\", \"vfio-cdev-add\", \"vfio-group-add\"]" \
  "[.[0:3][] | select(.type == \"driver-bind\")][0] | .device == \"$edu\" and .driver == \"vfio-pci\" and .group == $g_edu" \
  "[.[0:3][] | select(.type == \"vfio-cdev-add\")][0] | .device == \"$edu\" and .name == \"$vfio_n\" and .devnode == \"$cdev\" and .group == $g_edu" \
  "[.[0:3][] | select(.type == \"vfio-group-add\")][0] | .name == \"$g_edu\" and .group == $g_edu and .devnode == \"/dev/vfio/$g_edu\"" \
  ".[3] | .type == \"fault\" and .device == \"$edu\" and .driver == \"vfio-pci\" and .group == $g_edu" \
  ".[3].fault | .iommu == \"vt-d\" and .kind == \"DMA Write\" and .access == \"write\" and .addr == \"0x201000\"
     and (.code|type) == \"number\" and (.reason|length) > 0 and .pasid == null" \
  "[.[4:7][] | .type] | sort == [\"driver-unbind\", \"vfio-cdev-remove\", \"vfio-group-remove\"]" \
  "[.[4:7][] | select(.type == \"driver-unbind\")][0] | .device == \"$edu\" and .driver == \"vfio-pci\"" \
  "[.[4:7][] | select(.type == \"vfio-cdev-remove\")][0] | .device == \"$edu\" and .name == \"$vfio_n\"" \
  "[.[4:7][] | select(.type == \"vfio-group-remove\")][0] | .name == \"$g_edu\"" \
  ".[7] | .type == \"device-remove\" and .device == \"$edu\" and .id == \"1234:11e8\" and .group == $g_edu and .driver == null" \
  ".[8].seqnum == .[7].seqnum and (.[8] | .type == \"group-remove\" and .name == \"$g_edu\" and .group == $g_edu and .device == \"$edu\")" \
  ".[9] | .type == \"device-add\" and .device == \"$edu\" and .id == \"1234:11e8\" and .group == $g_edu2" \
  ".[10] | .type == \"group-add\" and .name == \"$g_edu2\" and .device == \"$edu\"" \
  ".[11] | .type == \"device-remove\" and .device == \"$hp\" and .id == \"1234:11e8\" and .group == $g_hp" \
  ".[12] | .type == \"device-add\" and .device == \"$hp\" and .id == \"1234:11e8\" and .group == $g_hp"
# the fault's line is the kernel's own
[ "$(jq -r '.[3].fault.line' /tmp/ev.json)" = "${dmar#*] }" ] ||
  fail "the fault's line is not the kernel's: $(jq -r '.[3].fault.line' /tmp/ev.json) vs ${dmar#*] }"
report "fault: $(jq -c '.[3] | {device, driver, group} + (.fault | {iommu, kind, access, addr, code, reason})' /tmp/ev.json)"
report "hot-plug: $hp removed and re-added through QEMU's monitor (slot ${slot##*/}), group $g_hp stays"
