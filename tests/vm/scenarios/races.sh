# machines: vtd-assign
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: two parties at once, and what each user sees. All on
# the edu device at 00:03.0, checked against sysfs and the kernel log.
#   1. Two `vfio bind` of the same device start together (three times): the
#      journal's lock orders them; one binds, the other finds it done
#      ("keep"); one journal entry; `vfio restore` gives it back.
#   2. `vfio restore` while a program started by `iommuctl exec` holds the
#      cdev: refused, naming that pid and its name; nothing changes until
#      the program ends.
#   3. A batch session holds the device (bound to its iommufd); a second
#      session's `device bind` is refused naming the pid that has the cdev
#      open (the kernel only answers EINVAL).
#   4. The device is removed (sysfs remove: the kernel's hot-unplug path)
#      while that session holds it: the session registered VFIO's device
#      request channel, so the kernel relays the request ("Relaying device
#      request to user" in its log), the session releases the device, says
#      so on stderr and in its results, and the removal completes while the
#      session goes on; its graph no longer has the device. A rescan brings
#      the device back; `vfio restore` then leaves it alone (its
#      driver_override went with the removal) and drops the journal entry.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

EDU=0000:00:03.0
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run
state() {
  _d=none
  [ -e "/sys/bus/pci/devices/$EDU/driver" ] && _d=$(basename "$(readlink "/sys/bus/pci/devices/$EDU/driver")")
  echo "driver=$_d override=$(cat "/sys/bus/pci/devices/$EDU/driver_override" 2>/dev/null) journal=$(ls /run/iommuctl/vfio 2>/dev/null | tr '\n' ,)"
}
clean="driver=none override=(null) journal="
bound="driver=vfio-pci override=vfio-pci journal=$EDU,"
assert_eq "$(state)" "$clean" "edu at the start"

# --- 1. two binds at once
for i in 1 2 3; do
  "$IOMMUCTL" -j vfio bind $EDU >/tmp/b1.json 2>/tmp/b1.err &
  p1=$!
  "$IOMMUCTL" -j vfio bind $EDU >/tmp/b2.json 2>/tmp/b2.err &
  p2=$!
  wait $p1 || fail "bind 1 of round $i failed: $(cat /tmp/b1.err)"
  wait $p2 || fail "bind 2 of round $i failed: $(cat /tmp/b2.err)"
  got=$(cat /tmp/b1.json /tmp/b2.json | jq -rs 'map(.steps[0].action) | sort | join(" ")')
  assert_eq "$got" "bind keep" "round $i: the two binds' actions"
  assert_eq "$(state)" "$bound" "round $i: after both binds"
  ok "$IOMMUCTL" vfio restore $EDU
  assert_eq "$(state)" "$clean" "round $i: after the restore"
done

# --- 2. restore while a program started by exec holds the cdev
ok "$IOMMUCTL" vfio bind $EDU
"$IOMMUCTL" exec --device $EDU -- sleep 60 &
holder=$!
i=0
until [ -n "$(ls -l /proc/$holder/fd 2>/dev/null | grep /dev/vfio/devices/)" ]; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "the exec'd program never held the cdev"
  sleep 0.1
done
"$IOMMUCTL" vfio restore $EDU 2>/tmp/r.err && fail "restore succeeded while pid $holder holds the cdev"
grep -q "open by pid $holder (sleep)" /tmp/r.err || { cat /tmp/r.err; fail "the refusal does not name pid $holder (sleep)"; }
assert_eq "$(state)" "$bound" "after the refused restore"
kill $holder
wait $holder 2>/dev/null || true

# --- 3. a session holds the device; a second session cannot bind it
rm -f /tmp/fifo
mkfifo /tmp/fifo
"$IOMMUCTL" batch --results --keep-going /tmp/fifo >/tmp/a.json 2>/tmp/a.err &
a=$!
exec 3>/tmp/fifo
echo "@d device bind $EDU --name d" >&3
echo "@objs1 objects" >&3
i=0
until [ "$(jq -s 'map(select(.tag == "objs1")) | length' /tmp/a.json 2>/dev/null)" = 1 ]; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "the first session did not answer"
  sleep 0.1
done
printf '@b device bind %s --name b\n' $EDU >/tmp/b.batch
"$IOMMUCTL" batch --results /tmp/b.batch >/tmp/b.json 2>/dev/null && fail "a second session bound $EDU"
check_json ".error | .errno == 22 and (.error | test(\"cdev vfio[0-9]+ is open by pid $a \\\\(iommuctl\\\\).*one iommufd at a time\"))" /tmp/b.json

# --- 4. the device is removed while the session holds it
dmesg -c >/dev/null
( exec 3>&-; echo 1 >/sys/bus/pci/devices/$EDU/remove ) &
rm_pid=$!
i=0
while kill -0 $rm_pid 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || { dmesg | tail; fail "the removal did not complete in 20 s"; }
  sleep 0.1
done
wait $rm_pid || fail "the removal failed"
[ ! -e /sys/bus/pci/devices/$EDU ] || fail "$EDU is still there after its removal"
dmesg | grep -q "vfio-pci $EDU: Relaying device request to user" ||
  { dmesg | tail; fail "the kernel did not relay the device request to the session"; }
echo "@objs2 objects" >&3
exec 3>&-
wait $a || fail "the first session failed: $(cat /tmp/a.err)"
grep -q "^iommuctl: batch: the kernel asked for device [0-9]* (d) ($EDU) back" /tmp/a.err ||
  { cat /tmp/a.err; fail "the session did not say it released the device"; }
jq -s . /tmp/a.json >/tmp/a-all.json
check_jsons /tmp/a-all.json \
  "map(select(.event == \"device-released\")) | length == 1 and .[0].object.device == \"$EDU\" and .[0].object.name == \"d\"" \
  '(map(select(.tag == "objs1"))[0].result.objects | map(.type) | index("device")) != null' \
  '(map(select(.tag == "objs2"))[0].result.objects | map(.type) | index("device")) == null'
report "session: $(grep 'asked for' /tmp/a.err | cut -c1-120)"

# the device comes back unbound; the journal entry is dropped, nothing else touched
echo 1 >/sys/bus/pci/rescan
[ -e /sys/bus/pci/devices/$EDU ] || fail "$EDU did not come back on rescan"
ok "$IOMMUCTL" vfio restore $EDU
assert_eq "$(state)" "$clean" "after the rescan and the restore"
