# machines: vtd-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: SR-IOV virtual functions, made the way an admin makes
# them. The machine's igb (82576) is the physical function: the guest finds
# it as the device with sriov_totalvfs, writes 2 to sriov_numvfs and reads
# the truth back from sysfs (each VF's address through the PF's virtfnN
# links, its group, its IDs). iommuctl must list each VF with those IDs and
# group, read its configuration space although a VF's ID registers read
# 0xffff (the PCIe rule), not call it a multifunction device, explain its
# group as its own (as the kernel made it, with ACS on the root port), and
# bind it to vfio-pci and give it back. The VFs are removed on the way out.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

pf=
for d in /sys/bus/pci/devices/*; do
  if [ -f "$d/sriov_totalvfs" ] && [ "$(cat "$d/sriov_totalvfs")" -gt 0 ]; then pf=${d##*/}; break; fi
done
[ -n "$pf" ] || skip "no SR-IOV capable device"
echo 2 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || fail "could not make 2 VFs on $pf"
export IOMMUCTL_RUN_DIR=/run/iommuctl
trap 'for v in $vfs; do "$IOMMUCTL" vfio restore $v >/dev/null 2>&1 || true; done; echo 0 >/sys/bus/pci/devices/'"$pf"'/sriov_numvfs' EXIT
vfs=
for l in "/sys/bus/pci/devices/$pf"/virtfn*; do vfs="$vfs $(basename "$(readlink "$l")")"; done
report "PF $pf ($(cat /sys/bus/pci/devices/$pf/sriov_totalvfs) VFs possible), VFs:$vfs"

json_to /tmp/dl.json "$IOMMUCTL" -j device list
for v in $vfs; do
  s=/sys/bus/pci/devices/$v
  g=$(basename "$(readlink "$s/iommu_group")")
  check_json ".[] | select(.name == \"$v\") | .group == $g and .vendor == \"$(cat "$s/vendor")\" and .device == \"$(cat "$s/device")\" and .parent == \"$(basename "$(dirname "$(readlink -f "$s")")")\" and .multifunction == false and .pcie_type == \"endpoint\"" /tmp/dl.json
  json_to /tmp/ge.json "$IOMMUCTL" -j group explain "$g"
  members=$(ls "/sys/kernel/iommu_groups/$g/devices" | sort | sed 's/.*/"&"/' | paste -sd, -)
  check_json ".agrees and (.predicted_members | sort) == [$members] and (.members | sort) == [$members]" /tmp/ge.json
done
# the PF says SR-IOV
check_json ".[] | select(.name == \"$pf\") | .sriov == true" /tmp/dl.json

# bind one VF to vfio-pci and give it back
v=$(echo $vfs | cut -d' ' -f1)
ok "$IOMMUCTL" vfio bind "$v"
[ "$(basename "$(readlink "/sys/bus/pci/devices/$v/driver")")" = vfio-pci ] || fail "$v is not bound to vfio-pci"
json_to /tmp/ds.json "$IOMMUCTL" -j device show "$v"
check_json ".driver == \"vfio-pci\" and (.vfio_cdev | startswith(\"vfio\"))" /tmp/ds.json
ok "$IOMMUCTL" vfio restore "$v"
[ ! -e "/sys/bus/pci/devices/$v/driver" ] || [ "$(basename "$(readlink "/sys/bus/pci/devices/$v/driver")")" != vfio-pci ] ||
  fail "$v is still bound to vfio-pci after restore"
