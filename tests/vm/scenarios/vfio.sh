# machines: vtd-assign vtd-assign-next
# timeout: 240
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: device assignment as a user does it, on a VT-d guest
# with host drivers in use. `vfio bind` plans whole groups and refuses what
# the host uses (an ext2 disk mounted on /mnt, a swap disk, a NIC that is up
# with an address), refuses a group whose other member is on a host driver
# until --allow-member names it, journals the original drivers and gives
# them back with `vfio restore` -- also after the bind was killed with -9
# between the unbind and the bind (the test program vfio-stop, a bind with
# a progress callback, stops itself there), and while that killed run held the lock a second run must wait
# and give up naming it. `vfio restore` refuses while a process holds the
# cdev. `hwinfo` binds for the question and gives the device back. `exec`
# hands /dev/iommu and the cdev to edu-dma running as an unprivileged user,
# which binds and attaches the edu device with them and has it DMA through
# the IOMMU. Every answer is checked against sysfs, not against iommuctl.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

EDU=0000:00:03.0 NIC=0000:00:04.0 DISK=0000:00:14.0 SWAP=0000:00:15.0
export IOMMUCTL_RUN_DIR=/run/iommuctl

# driver BDF: the driver a device is bound to now, or "none"
driver() {
  if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
    basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
  else
    echo none
  fi
}
override() { cat "/sys/bus/pci/devices/$1/driver_override"; }
want_driver() {
  [ "$(driver "$1")" = "$2" ] || fail "$1 is on $(driver "$1"), expected $2"
  echo "ok: $1 on $2"
}
want_override() {
  [ "$(override "$1")" = "$2" ] || fail "$1 has driver_override $(override "$1"), expected $2"
}

mkdir -p /run
for d in $EDU $NIC $DISK $SWAP; do
  [ -d /sys/bus/pci/devices/$d ] || fail "no device $d in this machine"
done
want_driver $EDU none
want_driver $NIC e1000e
want_driver $DISK virtio-pci

# --- 1. dry run: a plan, nothing changes, no journal yet
json_to /tmp/plan.json "$IOMMUCTL" -j vfio bind --dry-run $EDU
check_jsons /tmp/plan.json \
  '.dry_run == true and (.steps | length) == 1' \
  '.steps[0].device == "'$EDU'" and .steps[0].action == "bind" and .steps[0].target == "vfio-pci" and .steps[0].done == false' \
  '.steps[0].group | type == "number"'
want_driver $EDU none
[ ! -e /run/iommuctl/vfio/$EDU ] || fail "a dry run wrote a journal entry"

# --- 2. bind and restore the edu device (no driver before)
json_to /tmp/bind.json "$IOMMUCTL" -j vfio bind $EDU
check_jsons /tmp/bind.json \
  '.steps[0].done == true and (.steps[0].cdev | test("^vfio[0-9]+$"))' \
  '.steps[0].cdev_path == "/dev/vfio/devices/" + .steps[0].cdev'
want_driver $EDU vfio-pci
cdev=$(jq -r '.steps[0].cdev' /tmp/bind.json)
[ -c "/dev/vfio/devices/$cdev" ] || fail "/dev/vfio/devices/$cdev is not there"
[ "$(stat -c %a /run/iommuctl)" = 700 ] || fail "/run/iommuctl is not mode 0700"
json_to /tmp/st.json "$IOMMUCTL" -j vfio status
check_jsons /tmp/st.json \
  '.devices | length == 1' \
  '.devices[0].device == "'$EDU'" and .devices[0].original_driver == null and .devices[0].driver == "vfio-pci" and .devices[0].state == "bound" and .devices[0].set_override == true'
# a second bind of the same device changes nothing
json_to /tmp/bind2.json "$IOMMUCTL" -j vfio bind $EDU
check_json '.steps[0].action == "keep"' /tmp/bind2.json
# restore --dry-run: the same checks, nothing changes
json_to /tmp/rdry.json "$IOMMUCTL" -j vfio restore --dry-run $EDU
check_jsons /tmp/rdry.json '.dry_run == true' \
  '.steps[0].device == "'$EDU'" and .steps[0].action == "restore" and .steps[0].done == false'
want_driver $EDU vfio-pci
[ -e /run/iommuctl/vfio/$EDU ] || fail "restore --dry-run removed the journal entry"
ok "$IOMMUCTL" vfio restore $EDU
want_driver $EDU none
want_override $EDU '(null)'
[ ! -e /run/iommuctl/vfio/$EDU ] || fail "restore left the journal entry"

# --- 3. a NIC that is up with an address is refused; once down it is taken and given back
nic_if=$(ls /sys/bus/pci/devices/$NIC/net)
ip addr add 10.0.2.15/24 dev "$nic_if"
ip link set "$nic_if" up
expect_rc 1 "$IOMMUCTL" vfio bind $NIC
run "$IOMMUCTL" -j vfio bind $NIC
"$IOMMUCTL" -j vfio bind $NIC >/tmp/nic.json 2>/dev/null || true
check_jsons /tmp/nic.json \
  '.steps[0].action == "refuse"' \
  '.steps[0].refusal | test("'$nic_if'.*10\\.0\\.2\\.15/24.*--force")' \
  '.steps[0].uses | map(.kind) | index("netif") != null' \
  '.errno == 1'
want_driver $NIC e1000e
ip addr flush dev "$nic_if"
ip link set "$nic_if" down
ok "$IOMMUCTL" vfio bind $NIC
want_driver $NIC vfio-pci
ok "$IOMMUCTL" vfio restore
want_driver $NIC e1000e
want_override $NIC '(null)'
[ -d /sys/bus/pci/devices/$NIC/net ] || fail "$NIC has no network interface after restore"

# --- 4. a mounted disk and an active swap disk are refused, naming the use
mkdir -p /mnt
mount -t ext2 /dev/vda /mnt
"$IOMMUCTL" -j vfio bind $DISK >/tmp/disk.json 2>/dev/null && fail "bind of the mounted disk's controller succeeded"
check_jsons /tmp/disk.json \
  '.steps[0].action == "refuse" and (.steps[0].refusal | test("vda.*mounted on /mnt.*--force"))'
mkswap /dev/vdb >/dev/null
swapon /dev/vdb
"$IOMMUCTL" -j vfio bind $SWAP >/tmp/swap.json 2>/dev/null && fail "bind of the swap disk's controller succeeded"
check_jsons /tmp/swap.json \
  '.steps[0].action == "refuse" and (.steps[0].uses | map(.kind) | index("swap") != null)'
want_driver $DISK virtio-pci
want_driver $SWAP virtio-pci
swapoff /dev/vdb
umount /mnt

# --- 5. a group with a sibling on a host driver: refused until --allow-member
json_to /tmp/devs.json "$IOMMUCTL" -j device list
# the edu behind the PCIe-to-PCI bridge, and the e1000 in its group
pb_edu=$(jq -r '[.[] | select(.vendor == "0x1234" and .name != "'$EDU'")] as $e
  | [.[] | select(.driver == "e1000")][0].group as $g
  | [$e[] | select(.group == $g)][0].name' /tmp/devs.json)
e1000=$(jq -r '[.[] | select(.driver == "e1000")][0].name' /tmp/devs.json)
[ -n "$pb_edu" ] && [ "$pb_edu" != null ] || fail "no edu shares a group with the e1000"
log "edu $pb_edu shares its group with e1000 $e1000"
"$IOMMUCTL" -j vfio bind $pb_edu >/tmp/grp.json 2>/dev/null && fail "bind with a sibling on e1000 succeeded"
check_jsons /tmp/grp.json \
  '[.steps[] | select(.device == "'$e1000'")][0].action == "refuse"' \
  '[.steps[] | select(.device == "'$e1000'")][0].refusal | test("--allow-member '$e1000'")' \
  '[.steps[] | select(.action == "bridge")] | length == 1'
want_driver "$e1000" e1000
want_driver "$pb_edu" none
json_to /tmp/grp2.json "$IOMMUCTL" -j vfio bind $pb_edu --allow-member "$e1000"
check_json '[.steps[] | select(.action == "bind" and .done)] | length == 2' /tmp/grp2.json
want_driver "$e1000" vfio-pci
want_driver "$pb_edu" vfio-pci
ok "$IOMMUCTL" vfio restore
want_driver "$e1000" e1000
want_driver "$pb_edu" none

# --- 6. kill -9 between the unbind and the bind; meanwhile the lock makes a second run wait
require_prog vfio-stop
vfio-stop unbind $NIC >/dev/null &
victim=$!
i=0
until [ "$(cut -d' ' -f3 /proc/$victim/stat 2>/dev/null)" = T ]; do
  i=$((i + 1)); [ $i -lt 200 ] || fail "the bind never stopped after the unbind"
  sleep 0.1
done
want_driver $NIC none
want_override $NIC vfio-pci
run "$IOMMUCTL" vfio bind --timeout 1 $EDU
[ "$RC" -eq 1 ] || fail "a second bind while the lock is held exited $RC"
"$IOMMUCTL" vfio bind --timeout 1 $EDU 2>&1 | grep -q "another iommuctl pid $victim" ||
  fail "the lock refusal does not name pid $victim"
want_driver $EDU none
kill -9 $victim
wait $victim 2>/dev/null || true
json_to /tmp/st2.json "$IOMMUCTL" -j vfio status
check_json '.devices[0].device == "'$NIC'" and .devices[0].state == "unbound" and .devices[0].original_driver == "e1000e" and .devices[0].driver == null' /tmp/st2.json
ok "$IOMMUCTL" vfio restore
want_driver $NIC e1000e
want_override $NIC '(null)'

# --- 7. restore refuses while a process holds the cdev
ok "$IOMMUCTL" vfio bind $EDU
cdev=$(ls /sys/bus/pci/devices/$EDU/vfio-dev)
sleep 60 </dev/vfio/devices/"$cdev" &
holder=$!
sleep 0.5
"$IOMMUCTL" vfio restore $EDU 2>/tmp/hold.err && fail "restore succeeded while pid $holder holds $cdev"
grep -q "open by pid $holder" /tmp/hold.err || { cat /tmp/hold.err; fail "the refusal does not name pid $holder"; }
want_driver $EDU vfio-pci
kill $holder; wait $holder 2>/dev/null || true

# --- 8. exec hands the fds to an unprivileged program that binds, attaches and does DMA
command -v edu-dma >/dev/null || fail "edu-dma is not in the guest (make vm-progs)"
json_to /tmp/exec.json "$IOMMUCTL" -j exec --dry-run --device $EDU --user iommuctl-test -- \
  edu-dma --iommufd '{iommufd}' --vfio '{vfio:00:03.0}' --name '{vfio}'
check_jsons /tmp/exec.json \
  '.user == "iommuctl-test" and .devices[0].device == "'$EDU'"' \
  '.argv == ["edu-dma", "--iommufd", (.iommufd|tostring), "--vfio", (.devices[0].fd|tostring), "--name", (.devices[0].fd|tostring)]'
run "$IOMMUCTL" exec --device $EDU --user iommuctl-test -- \
  edu-dma --iommufd '{iommufd}' --vfio '{vfio:0000:00:03.0}' --expect-uid 1000
[ "$RC" -eq 0 ] || fail "edu-dma under exec exited $RC"
"$IOMMUCTL" exec --device $EDU --user iommuctl-test -- \
  edu-dma --iommufd '{iommufd}' --vfio '{vfio}' --expect-uid 1000 >/tmp/dma.out 2>&1 || true
grep -qx 'uid=1000' /tmp/dma.out || { cat /tmp/dma.out; fail "edu-dma did not run as uid 1000"; }
grep -q '^dma=ok' /tmp/dma.out || { cat /tmp/dma.out; fail "DMA through the fds handed over failed"; }
expect_rc 2 "$IOMMUCTL" exec --device $EDU -- edu-dma '{vfio:0000:00:04.0}'
expect_rc 127 "$IOMMUCTL" exec -- /nonexistent '{iommufd}'
ok "$IOMMUCTL" vfio restore $EDU
expect_rc 1 "$IOMMUCTL" exec --device $EDU -- true

# --- 9. hwinfo binds for the question and gives the device back
json_to /tmp/hw.json "$IOMMUCTL" -j hwinfo $EDU
check_jsons /tmp/hw.json \
  '.temporary_binding == true and .type == "intel-vtd"' \
  '.ready | map(.name) == ["live-migration", "nesting", "pasid", "iopf"]' \
  '.ready | all(.ready != null and (.how | length) > 0)' \
  '.data.summary != null'
want_driver $EDU none
want_override $EDU '(null)'
json_to /tmp/st3.json "$IOMMUCTL" -j vfio status
check_json '.devices == []' /tmp/st3.json
report "hwinfo $EDU: $(jq -c '[.ready[] | {(.name): .ready}] | add' /tmp/hw.json)"

# --- 10. the cdev in a session: bind by cdev name, attach, PASID attach refused on 6.12
ok "$IOMMUCTL" vfio bind $EDU
cdev=$(ls /sys/bus/pci/devices/$EDU/vfio-dev)
cat >/tmp/p.batch <<EOB
ioas create --name a
@edu device bind $cdev --name edu
@attach device attach edu --pt a
@pasid device attach edu --pt a --pasid 1
@detach device detach edu
@unbind device unbind edu
EOB
"$IOMMUCTL" batch --results --keep-going /tmp/p.batch >/tmp/p.json 2>/tmp/p.err || true
by_tag /tmp/p.json /tmp/pr.json 6
# edu has no PASID capability (the guest finds no extended capability 27 in
# its config space): refused on every kernel, the reason differs
! ext_caps $EDU | grep -qx 27 || fail "$EDU has a PASID capability"
check_json '.pasid.error | .errno != null and (.error | test("PASID 1 of device"))' /tmp/pr.json
report "PASID attach of $EDU: $(jq -c '.pasid.error | [.errno, .error]' /tmp/pr.json)"
if "$IOMMUCTL" -j probe | jq -e '.ioctls[] | select(.name == "IOMMU_VIOMMU_ALLOC") | .present == false' >/dev/null; then
  # 6.12: no VFIO_DEVICE_ATTACH_PASID
  check_jsons /tmp/pr.json \
    '.edu.result | .device == "'$EDU'" and .pasids == []' \
    '.attach.result.attached != null' \
    '.pasid.error | .errno == 22 and (.error | test("PASID 1 .*6\\.15"))' \
    '.detach.exit == 0 and .unbind.exit == 0'
else
  # 6.15+: the kernel's EINVAL, because the device has no PASIDs (width 0)
  check_json '.pasid.error | .errno == 22 and (.error | test("has no PASIDs .*width of 0"))' /tmp/pr.json
fi
ok "$IOMMUCTL" vfio restore $EDU
want_driver $EDU none
