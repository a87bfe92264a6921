# machines: vtd-assign vtd-assign-next vtd-next
# timeout: 180
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: what a reset takes with it. For devices at different
# places in the topology (the edu on the root bus, the two e1000e functions
# behind rp2, the e1000e alone below downstream port dn1, the edu behind
# the PCIe-to-PCI bridge beside an e1000), three answers must agree: the
# sysfs topology the guest reads itself (every device below the bridge
# above the device; none on a root bus), the kernel's
# VFIO_DEVICE_GET_PCI_HOT_RESET_INFO asked by the test program vfio-legacy
# through the legacy group interface (group ids), and iommuctl: `device
# show` (from the topology, no VFIO) and `hwinfo` (the same ioctl on the
# VFIO cdev bound to iommufd: iommufd device ids). A root-bus device gets
# ENODEV from the kernel and "none" from iommuctl. The reset_method iommuctl
# shows is the sysfs file's. On vtd-next (an igb with SR-IOV) the virtual
# functions share the PF's bus but not its group: binding one VF takes its
# group only, and `vfio bind` must warn (text) and list (JSON) the PF and
# the other VF that a hot reset would reach, the kernel's answer minus the
# plan.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run
require_prog vfio-legacy
trap '"$IOMMUCTL" vfio restore >/dev/null 2>&1 || true; [ -z "$pf" ] || echo 0 >/sys/bus/pci/devices/$pf/sriov_numvfs' EXIT
pf=

# sysfs_scope BDF: the devices below the bridge above BDF, sorted, or "none"
sysfs_scope() {
  _b=$(readlink -f "/sys/bus/pci/devices/$1")
  _b=${_b%/*}
  case ${_b##*/} in pci*) echo none; return ;; esac
  for _d in /sys/bus/pci/devices/*; do
    case $(readlink -f "$_d") in "$_b"/*) echo "${_d##*/}" ;; esac
  done | sort | paste -sd' ' -
}
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }

# check BDF: the three answers for a device bound to vfio-pci
check() {
  want=$(sysfs_scope "$1")
  json_to /tmp/show.json "$IOMMUCTL" -j device show "$1"
  json_to /tmp/hw.json "$IOMMUCTL" -j hwinfo --no-bind "$1"
  vfio-legacy "$(group_of "$1")" "$1" >/tmp/leg.out
  rm_="$(cat "/sys/bus/pci/devices/$1/reset_method" 2>/dev/null || true)"
  if [ "$want" = none ]; then
    grep -qx 'hot_reset=errno 19' /tmp/leg.out || { cat /tmp/leg.out; fail "$1: the kernel (group interface) did not answer ENODEV"; }
    check_jsons /tmp/show.json '.hot_reset == "none" and .hot_reset_devices == null and .reset_affects == null'
    check_jsons /tmp/hw.json '.hot_reset.kernel.errno == 19 and .hot_reset.kernel.devices == []'
    kern=none
  else
    grep -qx 'hot_reset=ok' /tmp/leg.out || { cat /tmp/leg.out; fail "$1: the kernel (group interface) did not answer"; }
    kern=$(sed -n 's/^reset \([^ ]*\) group .*/\1/p' /tmp/leg.out | sort | paste -sd' ' -)
    assert_eq "$kern" "$want" "$1: the kernel's hot reset set vs the sysfs topology"
    # the group ids the kernel gave are the devices' groups
    sed -n 's/^reset \([^ ]*\) group \(.*\)/\1 \2/p' /tmp/leg.out | while read -r d g; do
      assert_eq "$g" "$(group_of "$d")" "$d: group in the kernel's answer"
    done
    check_jsons /tmp/show.json \
      "(.hot_reset == \"bus\" or .hot_reset == \"slot\") and (.hot_reset_devices | sort | join(\" \")) == \"$want\"" \
      "(.reset_affects | sort) == (.hot_reset_devices - [\"$1\"] | sort)" \
      ".hot_reset_bridge == \"$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$1")")")\""
    check_jsons /tmp/hw.json \
      ".hot_reset.kernel.errno == null and ([.hot_reset.kernel.devices[].device] | sort | join(\" \")) == \"$want\"" \
      '.hot_reset.kernel.flags | index("dev-id") != null' \
      "[.hot_reset.kernel.devices[] | select(.device == \"$1\")][0].devid > 0" \
      "(.hot_reset.topology.hot_reset_devices | sort | join(\" \")) == \"$want\""
  fi
  check_json "(.reset_methods // [] | join(\" \")) == \"$rm_\"" /tmp/show.json
  report "$1: sysfs [$want] kernel [$kern] reset_method [$rm_] iommufd flags $(jq -c .hot_reset.kernel.flags /tmp/hw.json)"
}

EDU=0000:00:03.0 F0=0000:06:00.0 F1=0000:06:00.1 DN1=0000:03:00.0 PBEDU=0000:05:02.0 E1000=0000:05:01.0
for d in $EDU $F0 $F1 $DN1 $PBEDU $E1000; do
  [ -d /sys/bus/pci/devices/$d ] || fail "no device $d in this machine"
done
# a device without VFIO: device show alone, from the topology
json_to /tmp/show0.json "$IOMMUCTL" -j device show $F1
check_json "(.hot_reset_devices | join(\" \")) == \"$(sysfs_scope $F1)\" and .reset_affects == [\"$F0\"]" /tmp/show0.json
"$IOMMUCTL" device show $F1 | grep -q "^Reset affects: *$F0\$" || fail "device show (text) does not list $F0"

ok "$IOMMUCTL" vfio bind $EDU $DN1
"$IOMMUCTL" -j vfio bind $F0 --allow-member $F1 >/tmp/b1.json 2>/tmp/b1.err
"$IOMMUCTL" -j vfio bind $PBEDU --allow-member $E1000 >/tmp/b2.json 2>/tmp/b2.err
# every device a reset reaches is in these plans: nothing to warn about
check_json '.reset_outside_plan == []' /tmp/b1.json
check_json '.reset_outside_plan == []' /tmp/b2.json
! grep -q 'also resets' /tmp/b1.err /tmp/b2.err || fail "vfio bind warned about a reset within the plan"
for d in $EDU $F0 $DN1 $PBEDU; do check $d; done
ok "$IOMMUCTL" vfio restore

# --- SR-IOV: a VF's bus reset reaches the PF and the other VF, outside its group
machine_is vtd-next || exit 0
for d in /sys/bus/pci/devices/*; do
  if [ -f "$d/sriov_totalvfs" ] && [ "$(cat "$d/sriov_totalvfs")" -gt 0 ]; then pf=${d##*/}; break; fi
done
[ -n "$pf" ] || fail "vtd-next has no SR-IOV device"
echo 2 >"/sys/bus/pci/devices/$pf/sriov_numvfs"
vf1=$(basename "$(readlink "/sys/bus/pci/devices/$pf/virtfn0")")
vf2=$(basename "$(readlink "/sys/bus/pci/devices/$pf/virtfn1")")
[ "$(group_of "$vf1")" != "$(group_of "$pf")" ] || fail "VF $vf1 shares the PF's group: no reset reaches outside the plan here"
"$IOMMUCTL" -j vfio bind "$vf1" >/tmp/b3.json 2>/tmp/b3.err || { cat /tmp/b3.err; fail "vfio bind $vf1 failed"; }
json_to /tmp/hw3.json "$IOMMUCTL" -j hwinfo --no-bind "$vf1"
# outside the plan, by the kernel: its hot reset set minus the plan's devices
outside=$(jq -r --slurpfile b /tmp/b3.json '[.hot_reset.kernel.devices[].device] - [$b[0].steps[].device] | sort | join(" ")' /tmp/hw3.json)
case " $outside " in *" $pf "*) ;; *) fail "the kernel's hot reset set of $vf1 [$outside] lacks the PF $pf" ;; esac
check_jsons /tmp/b3.json \
  "[.reset_outside_plan[] | select(.device == \"$vf1\")][0] | (.outside | sort | join(\" \")) == \"$outside\""
grep -q "WARNING: a .* reset of $vf1 .* also resets .*$pf" /tmp/b3.err || { cat /tmp/b3.err; fail "vfio bind did not warn that a reset of $vf1 reaches $pf"; }
report "VF $vf1: a hot reset also resets [$outside] (PF $pf, VF $vf2), outside the plan: warned"
ok "$IOMMUCTL" vfio restore
echo 0 >"/sys/bus/pci/devices/$pf/sriov_numvfs"
pf=
