# machines: vtd-next
# timeout: 180
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: SR-IOV virtual functions, made and given back with
# iommuctl. The machine has two igb (82576) physical functions: one behind a
# root port (ACS: each VF gets a group of its own) and one behind a switch
# downstream port without ACS (its VFs share the port's group with the PF).
# For each PF `vfio sriov --dry-run` must change nothing; `vfio sriov --vfs 2
# --no-autoprobe` must make 2 VFs without drivers and journal the PF's old
# count. The guest reads the truth back from sysfs (sriov_numvfs, the PF's
# virtfnN links, each VF's group link, IDs and driver) and iommuctl must list
# each VF with those IDs and group, not call it a multifunction device, and
# predict every VF's group (`group explain`: with ACS its own, without it the
# downstream port's) as the kernel made it. One VF is bound to vfio-pci;
# while it is, changing that PF's VF count is refused (and the count stays).
# `vfio restore` then gives everything back: the VF's driver first, then the
# VF counts and sriov_drivers_autoprobe as they were before.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

pfs=
for d in /sys/bus/pci/devices/*; do
  if [ -f "$d/sriov_totalvfs" ] && [ "$(cat "$d/sriov_totalvfs")" -gt 0 ]; then pfs="$pfs ${d##*/}"; fi
done
[ -n "$pfs" ] || skip "no SR-IOV capable device"
export IOMMUCTL_RUN_DIR=/run/iommuctl
trap 'for p in $pfs; do echo 0 >/sys/bus/pci/devices/$p/sriov_numvfs; done 2>/dev/null' EXIT

# the ACS of the port above each PF (extended capability 13 in its config
# space; Linux enables it where present) decides its VFs' groups
acs_pf= noacs_pf=
for p in $pfs; do
  port=$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$p")")")
  if ext_caps "$port" | grep -qx 13; then acs_pf=$p; else noacs_pf=$p; fi
done
report "PFs:$pfs (behind ACS: ${acs_pf:-none}, without: ${noacs_pf:-none})"
[ -n "$acs_pf" ] && [ -n "$noacs_pf" ] || fail "want one PF behind a port with ACS and one without"

for p in $pfs; do
  s=/sys/bus/pci/devices/$p
  json_to /tmp/plan.json "$IOMMUCTL" -j vfio sriov --dry-run --vfs 2 --no-autoprobe "$p"
  check_json ".dry_run and (.steps | length) == 1 and .steps[0].device == \"$p\" and .steps[0].action == \"set-vfs\" and .steps[0].done == false" /tmp/plan.json
  assert_eq "$(cat "$s/sriov_numvfs")" 0 "sriov_numvfs of $p after --dry-run"
  json_to /tmp/set.json "$IOMMUCTL" -j vfio sriov --vfs 2 --no-autoprobe "$p"
  check_json ".steps[0].action == \"set-vfs\" and .steps[0].done" /tmp/set.json
  assert_eq "$(cat "$s/sriov_numvfs")" 2 "sriov_numvfs of $p"
  assert_eq "$(cat "$s/sriov_drivers_autoprobe")" 0 "sriov_drivers_autoprobe of $p"
done
json_to /tmp/st.json "$IOMMUCTL" -j vfio status
for p in $pfs; do
  check_json "any(.devices[]; .device == \"$p\" and .kind == \"sriov\" and .original_numvfs == 0 and .numvfs == 2)" /tmp/st.json
done

json_to /tmp/dl.json "$IOMMUCTL" -j device list
allvfs=
for p in $pfs; do
  pg=$(basename "$(readlink "/sys/bus/pci/devices/$p/iommu_group")")
  for l in "/sys/bus/pci/devices/$p"/virtfn*; do
    v=$(basename "$(readlink "$l")")
    allvfs="$allvfs $v"
    s=/sys/bus/pci/devices/$v
    [ ! -e "$s/driver" ] || fail "VF $v has a driver although autoprobe is off"
    g=$(basename "$(readlink "$s/iommu_group")")
    check_json ".[] | select(.name == \"$v\") | .group == $g and .vendor == \"$(cat "$s/vendor")\" and .device == \"$(cat "$s/device")\" and .parent == \"$(basename "$(dirname "$(readlink -f "$s")")")\" and .multifunction == false and .pcie_type == \"endpoint\" and .driver == null" /tmp/dl.json
    json_to /tmp/ge.json "$IOMMUCTL" -j group explain "$g"
    members=$(ls "/sys/kernel/iommu_groups/$g/devices" | sort | sed 's/.*/"&"/' | paste -sd, -)
    check_json ".agrees and (.predicted_members | sort) == [$members] and (.members | sort) == [$members]" /tmp/ge.json
    # the kernel's own grouping, as the ACS above the PF says
    if [ "$p" = "$acs_pf" ]; then
      [ "$g" != "$pg" ] || fail "VF $v shares group $g with its PF $p behind ACS"
    else
      [ "$g" = "$pg" ] || fail "VF $v is not in its PF's group $pg without ACS"
    fi
  done
  check_json ".[] | select(.name == \"$p\") | .sriov == true" /tmp/dl.json
done
report "VFs:$allvfs"

# bind one VF (behind ACS) to vfio-pci; its PF's VF count cannot change then
v=$(basename "$(readlink "/sys/bus/pci/devices/$acs_pf/virtfn0")")
ok "$IOMMUCTL" vfio bind "$v"
[ "$(basename "$(readlink "/sys/bus/pci/devices/$v/driver")")" = vfio-pci ] || fail "$v is not bound to vfio-pci"
json_to /tmp/ds.json "$IOMMUCTL" -j device show "$v"
check_json ".driver == \"vfio-pci\" and (.vfio_cdev | startswith(\"vfio\"))" /tmp/ds.json
expect_rc 1 "$IOMMUCTL" vfio sriov --vfs 1 "$acs_pf"
assert_eq "$(cat "/sys/bus/pci/devices/$acs_pf/sriov_numvfs")" 2 "sriov_numvfs of $acs_pf after the refusal"
"$IOMMUCTL" -j vfio sriov --vfs 1 "$acs_pf" >/tmp/ref.json || true
check_json ".steps[0].action == \"refuse\" and (.steps[0].refusal | test(\"$v\")) and (.error | test(\"restore\"))" /tmp/ref.json

# give everything back: the VF's driver (none), then the VF counts
json_to /tmp/rs.json "$IOMMUCTL" -j vfio restore
check_json "[.steps[] | select(.done)] | map(.device) | sort == ([\"$v\"] + [$(for p in $pfs; do printf '"%s",' "$p"; done | sed 's/,$//')] | sort)" /tmp/rs.json
for p in $pfs; do
  assert_eq "$(cat "/sys/bus/pci/devices/$p/sriov_numvfs")" 0 "sriov_numvfs of $p after restore"
  assert_eq "$(cat "/sys/bus/pci/devices/$p/sriov_drivers_autoprobe")" 1 "sriov_drivers_autoprobe of $p after restore"
done
json_to /tmp/st.json "$IOMMUCTL" -j vfio status
check_json ".devices == []" /tmp/st.json
