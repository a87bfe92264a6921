# machines: vtd-hotplug vtd-hotplug-next arm64-next
# timeout: 150
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: two `iommuctl -j monitor` run in the background while the guest does
# things that make events, then every line they printed is matched against what the guest
# did and what sysfs and dmesg say. One hears uevents through libudev (no udev daemon in the
# guest: the kernel's own), `--type device,driver,group,vfio --count N`: N is the sum below,
# so an event too many or missing fails (the count, the timeout). The other reads IOMMU
# faults from /dev/kmsg, `--type fault --device EDU`, and is stopped with SIGTERM (exit 0)
# once the kernel has logged every fault record. Both are waited for ("listening" on
# stderr) before anything happens. Then, in order:
#  1. `iommuctl vfio bind` of the root-bus edu (00:03.0 on q35, 00:02.0 on arm64 virt; no
#     driver before): driver-bind vfio-pci, vfio-group-add (/dev/vfio/G, G its group in
#     sysfs) and vfio-cdev-add (/dev/vfio/devices/vfioN, the node sysfs names), any order;
#  2. edu-dma --after-unmap (tests/vm/progs) makes the edu write to IOVA 0x201000 it has just
#     unmapped: the fault events must be the kernel's fault records for the edu one to one,
#     same addresses in the same order, the first at 0x201000 (the program's "dst="), all
#     writes. VT-d logs one DMAR line until the fault is cleared (its text must be the
#     event's "line"); SMMUv3 queues one F_TRANSLATION record per blocked write ("event 0x10
#     received:" and four dwords: the StreamID is the edu's requester ID, dword 2 the
#     address), read here from dmesg with the record layout;
#  3. `iommuctl vfio restore`: vfio-cdev-remove, vfio-group-remove, driver-unbind naming
#     vfio-pci (the uevent does not carry it: the monitor remembers);
#  4. sysfs remove of the edu (alone in its group): device-remove 1234:11e8 with its group,
#     and group-remove of that group (same SEQNUM) once /sys/kernel/iommu_groups/G is gone;
#     then a PCI rescan: device-add and group-add of the group sysfs then shows;
#  5. (q35) hot-unplug through QEMU's monitor (the host relays "device_del hp-edu", see
#     tests/vm/host-lib.sh; pciehp on the switch's downstream port, native hot-plug given by
#     the machine's VM_NATIVE_HOTPLUG) of the edu at 04:00.0, waiting until it is gone from
#     sysfs, then "device_add edu,bus=dn2,id=hp-edu" until it is back: device-remove and
#     device-add of 04:00.0. Its group holds the downstream port too, so it stays: no group
#     event (checked against sysfs before and after). The arm64 kernels have no PCI
#     hot-plug (CONFIG_HOTPLUG_PCI is not set: the ports' hot-plug services have no pciehp
#     driver, no slots, checked): step 5 is left out there, and the scenario says so.
# Each event type's keys have one JSON type each (checked on every line).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e
require_prog edu-dma
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run

# the edu on the root bus
edu=$(for d in /sys/bus/pci/devices/0000:00:*; do
  [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && { echo "${d##*/}"; break; }
done)
[ -n "$edu" ] || fail "no edu device on the root bus"
[ ! -e /sys/bus/pci/devices/$edu/driver ] || fail "$edu has a driver already"
g_edu=$(basename "$(readlink /sys/bus/pci/devices/$edu/iommu_group)")
[ "$(ls /sys/kernel/iommu_groups/$g_edu/devices)" = $edu ] || fail "$edu is not alone in group $g_edu"
if [ -d /sys/class/iommu/dmar0 ]; then
  iommu=vt-d
else
  iommu=smmuv3
  b=${edu#0000:}
  rid=$(( (0x${b%%:*} << 8) | (0x$(echo "$b" | cut -d: -f2 | cut -d. -f1) << 3) | ${b##*.} ))
fi

# the hot-pluggable edu: on a slot of its own (pciehp), the bus /sys/bus/pci/slots names
hp="" slot=""
for s in /sys/bus/pci/slots/*; do
  [ -e "$s/address" ] || continue
  a=$(cat "$s/address")
  [ -e "/sys/bus/pci/devices/$a.0" ] || continue
  [ "$(cat "/sys/bus/pci/devices/$a.0/vendor")" = 0x1234 ] || continue
  hp=$a.0 slot=$s
done
if [ "$iommu" = smmuv3 ]; then
  # (no /proc/config.gz there: CONFIG_IKCONFIG is off too)
  # the ports' hot-plug services (PORT:pcie004) are there, with no driver to take them
  hpsvc=$(ls /sys/bus/pci_express/devices | grep 'pcie004$' | tr '\n' ' ')
  if [ -d /sys/bus/pci_express/drivers/pciehp ] || [ -n "$hp" ]; then
    fail "this arm64 kernel has PCI hot-plug (pciehp): test it here"
  fi
  report "hot-plug through QEMU's monitor not tried: this kernel has no PCI hot-plug (no pciehp driver for the hot-plug services ${hpsvc}in /sys/bus/pci_express, no slots; its config: # CONFIG_HOTPLUG_PCI is not set)"
  n_hp=0
else
  [ -d /sys/bus/pci_express/drivers/pciehp ] || fail "no pciehp driver (the arm64 check counts on its name)"
  [ -n "$hp" ] || { ls -l /sys/bus/pci/slots; fail "no edu on a hot-plug slot (pciehp): is native hot-plug on (VM_NATIVE_HOTPLUG)?"; }
  g_hp=$(basename "$(readlink /sys/bus/pci/devices/$hp/iommu_group)")
  hp_shared=$(ls /sys/kernel/iommu_groups/$g_hp/devices | wc -l)
  log "hot-plug edu $hp on slot ${slot##*/} (group $g_hp, $hp_shared devices)"
  [ "$hp_shared" -gt 1 ] || fail "expected $hp's group $g_hp to hold its port too"
  n_hp=2
fi
log "$iommu, edu $edu (group $g_edu)"

# fault_records FILE: "ADDR" of each fault the kernel logged for the edu in the dmesg FILE
fault_records() {
  if [ "$iommu" = vt-d ]; then
    sed -n "s/.*DMAR: \[DMA Write[^]]*\] Request device \[\(0000:\)\{0,1\}${edu#0000:}\] fault addr \(0x[0-9a-f]*\) .*/\2/p" "$1"
  else
    awk -v rid="$rid" '
      function hex(s,  n, i, c) { n = 0; s = tolower(s); sub(/^0x/, "", s)
        for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; n = n * 16 + c }
        return n }
      / event 0x10 received:/ { at = NR; k = 0; next }
      at && k < 4 { d[k++] = $NF
        if (k == 4) { if (hex(substr(d[0], 3, 8)) == rid) printf "0x%x\n", hex(d[2]); at = 0 } }' "$1"
  fi
}

n=$((3 + 3 + 4 + n_hp))
"$IOMMUCTL" -j monitor --type device,driver,group,vfio --count $n --timeout 120 >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
"$IOMMUCTL" -j monitor --type fault --device $edu >/tmp/faults.json 2>/tmp/faults.err &
fmon=$!
trap 'kill $mon $fmon 2>/dev/null; "$IOMMUCTL" vfio restore $edu >/dev/null 2>&1 || true' EXIT
i=0
until grep -q 'listening' /tmp/mon.err && grep -q 'listening' /tmp/faults.err; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat /tmp/mon.err /tmp/faults.err; fail "the monitors did not start listening"; }
  sleep 0.1
done
cat /tmp/mon.err /tmp/faults.err

# 1. bind
ok "$IOMMUCTL" vfio bind $edu
cdev=$(vfio_cdev $edu)
# 2. a real DMA fault
dmesg >/tmp/dmesg0.txt
before=$(fault_records /tmp/dmesg0.txt | wc -l)
edu-dma --device $edu --after-unmap >/tmp/dma.out 2>&1 || { cat /tmp/dma.out; fail "edu-dma failed"; }
grep -q '^after_unmap=done dst=0x201000$' /tmp/dma.out || { cat /tmp/dma.out; fail "edu-dma: no after_unmap=done"; }
# until the kernel has logged every record (SMMUv3: one per blocked write, from a thread)
i=0 last=-1
while :; do
  dmesg >/tmp/dmesg.txt
  now=$(fault_records /tmp/dmesg.txt | wc -l)
  [ "$now" -gt "$before" ] && [ "$now" = "$last" ] && break
  last=$now
  i=$((i + 1)); [ $i -lt 30 ] || { tail /tmp/dmesg.txt; fail "no $iommu fault for $edu in the kernel log"; }
  sleep 0.3
done
fault_records /tmp/dmesg.txt | sed -n "$((before + 1)),\$p" >/tmp/want-faults.txt
log "kernel: $(wc -l </tmp/want-faults.txt) fault record(s) for $edu: $(tr '\n' ' ' </tmp/want-faults.txt)"
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
if [ -n "$hp" ]; then
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
fi

set +e
wait $mon
rc=$?
kill -TERM $fmon
wait $fmon
frc=$?
set -e
trap - EXIT
sed 's/^/  | /' /tmp/mon.json /tmp/faults.json
[ "$rc" = 0 ] || { cat /tmp/mon.err; fail "iommuctl monitor (uevents) exited $rc"; }
[ "$frc" = 0 ] || { cat /tmp/faults.err; fail "iommuctl monitor (faults) exited $frc after SIGTERM"; }
jq -s . /tmp/mon.json >/tmp/ev.json
jq -s . /tmp/faults.json >/tmp/fev.json
vfio_n=${cdev##*/}
nf=$(wc -l </tmp/want-faults.txt)
# the events in the order they happened (within steps 1 and 3 the kernel's own order)
check_jsons /tmp/ev.json \
  "length == $n" \
  "all(.[]; (.type|type) == \"string\" and (.usec|type) == \"number\" and (.seqnum|type) == \"number\"
     and ((.device|type) == \"string\" or .device == null) and ((.driver|type) == \"string\" or .driver == null)
     and ((.group|type) == \"number\" or .group == null))" \
  "[.[0:3][] | .type] | sort == [\"driver-bind\", \"vfio-cdev-add\", \"vfio-group-add\"]" \
  "[.[0:3][] | select(.type == \"driver-bind\")][0] | .device == \"$edu\" and .driver == \"vfio-pci\" and .group == $g_edu" \
  "[.[0:3][] | select(.type == \"vfio-cdev-add\")][0] | .device == \"$edu\" and .name == \"$vfio_n\" and .devnode == \"$cdev\" and .group == $g_edu" \
  "[.[0:3][] | select(.type == \"vfio-group-add\")][0] | .name == \"$g_edu\" and .group == $g_edu and .devnode == \"/dev/vfio/$g_edu\"" \
  "[.[3:6][] | .type] | sort == [\"driver-unbind\", \"vfio-cdev-remove\", \"vfio-group-remove\"]" \
  "[.[3:6][] | select(.type == \"driver-unbind\")][0] | .device == \"$edu\" and .driver == \"vfio-pci\"" \
  "[.[3:6][] | select(.type == \"vfio-cdev-remove\")][0] | .device == \"$edu\" and .name == \"$vfio_n\"" \
  "[.[3:6][] | select(.type == \"vfio-group-remove\")][0] | .name == \"$g_edu\"" \
  ".[6] | .type == \"device-remove\" and .device == \"$edu\" and .id == \"1234:11e8\" and .group == $g_edu and .driver == null" \
  ".[7].seqnum == .[6].seqnum and (.[7] | .type == \"group-remove\" and .name == \"$g_edu\" and .group == $g_edu and .device == \"$edu\")" \
  ".[8] | .type == \"device-add\" and .device == \"$edu\" and .id == \"1234:11e8\" and .group == $g_edu2" \
  ".[9] | .type == \"group-add\" and .name == \"$g_edu2\" and .device == \"$edu\"" \
  "$n == 10 or (.[10] | .type == \"device-remove\" and .device == \"$hp\" and .id == \"1234:11e8\" and .group == ${g_hp:-0})" \
  "$n == 10 or (.[11] | .type == \"device-add\" and .device == \"$hp\" and .id == \"1234:11e8\" and .group == ${g_hp:-0})"
check_jsons /tmp/fev.json \
  "length == $nf" \
  "all(.[]; .type == \"fault\" and .device == \"$edu\" and .driver == \"vfio-pci\" and .group == $g_edu and
     (.fault | .iommu == \"$iommu\" and .access == \"write\" and (.code|type) == \"number\" and (.reason|length) > 0
       and .pasid == null and (.line|type) == \"string\"))" \
  "[.[].fault.addr] == $(jq -R . /tmp/want-faults.txt | jq -s -c .)" \
  ".[0].fault.addr == \"0x201000\"" \
  "\"$iommu\" == \"smmuv3\" or (.[0].fault | .kind == \"DMA Write\" and .sid == null and .unit == null)" \
  "\"$iommu\" == \"vt-d\" or all(.[].fault; .kind == \"F_TRANSLATION\" and .code == 16 and .sid == ${rid:-0} and (.unit|length) > 0)"
if [ "$iommu" = vt-d ]; then
  # the fault's line is the kernel's own
  dmar=$(grep 'DMAR: \[DMA Write' /tmp/dmesg.txt | tail -n 1)
  [ "$(jq -r '.[0].fault.line' /tmp/fev.json)" = "${dmar#*] }" ] ||
    fail "the fault's line is not the kernel's: $(jq -r '.[0].fault.line' /tmp/fev.json) vs ${dmar#*] }"
fi
report "fault: $(jq -c '.[0] | {device, driver, group} + (.fault | {iommu, kind, access, addr, code, reason, sid})' /tmp/fev.json) (of $nf)"
[ -z "$hp" ] || report "hot-plug: $hp removed and re-added through QEMU's monitor (slot ${slot##*/}), group $g_hp stays"
