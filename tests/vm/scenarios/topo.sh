# machines: vtd amd plain vtd-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: `iommuctl topo -j` is the PCI tree with each function's
# IOMMU group and ACS; this scenario rebuilds the same facts from sysfs in the
# guest and compares them line for line: the parent of each function is the
# directory above it in /sys/devices (a PCI address, or a root bus pciDDDD:BB),
# its group the basename of its iommu_group link, and its ACS control word the
# 16 bits at +6 of the ACS extended capability (ID 0x000d) found by walking the
# capability list in its config file from 0x100 ("none" without one). Each
# group with PCI members must start exactly once in the tree, every function
# under one root bus per pciDDDD:BB directory. The text tree must fit 80 columns
# when not on a terminal, `topo --dot` must name every function, and the
# completion values `--complete -- device show ''` and `group show ''` must be
# exactly the functions and groups sysfs lists. Machines without an IOMMU
# (plain) have no groups: every function is "-", and the tree is still drawn.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

# acs_ctrl BDF: "0x%04x" of the ACS control register, or none; one od for
# the whole extended space (dwords from 0x100), walked in the shell
acs_ctrl() {
  # shellcheck disable=SC2046 # the dwords, one positional parameter each
  set -- $(od -An -tu4 -v -j 256 -N 3840 "/sys/bus/pci/devices/$1/config" 2>/dev/null)
  _off=256 _n=0
  while [ "$_off" -ge 256 ] && [ $_n -lt 64 ] && [ $(((_off - 256) / 4 + 2)) -le $# ]; do
    eval "_h=\${$(((_off - 256) / 4 + 1))}"
    [ "$_h" != 0 ] && [ "$_h" != 4294967295 ] || break
    if [ $((_h & 0xffff)) = 13 ]; then
      eval "_c=\${$(((_off - 256) / 4 + 2))}"
      printf '0x%04x\n' $((_c >> 16 & 0xffff))
      return
    fi
    _off=$((_h >> 20 & 0xffc)) _n=$((_n + 1))
  done
  echo none
}

json_to /tmp/topo.json "$IOMMUCTL" -j topo
want=$(for d in /sys/bus/pci/devices/*; do
  b=${d##*/}
  p=$(readlink -f "$d")
  p=${p%/*} p=${p##*/}
  case $p in *:*:*.*) ;; *) p=- ;; esac
  g=-
  [ -L "$d/iommu_group" ] && g=$(readlink "$d/iommu_group") && g=${g##*/}
  echo "$b $p $g $(acs_ctrl "$b")"
done | sort)
# shellcheck disable=SC2016 # jq's $p, $n
got=$(jq -r 'def nodes($p): .[] | . as $n |
    "\($n.bdf) \($p) \($n.group // "-") \(if $n.acs.present == true then $n.acs.ctrl else "none" end)",
    ($n.children | nodes($n.bdf));
  .root_buses[].children | nodes("-")' /tmp/topo.json | sort)
log "sysfs: $(echo "$want" | wc -l) functions"
[ -n "$want" ] || fail "no PCI functions in sysfs"
if [ "$got" != "$want" ]; then
  echo "$want" >/tmp/want.txt
  echo "$got" >/tmp/got.txt
  diff /tmp/want.txt /tmp/got.txt || true
  fail "topo -j differs from sysfs (parent, group, ACS control)"
fi
echo "ok: $(echo "$got" | wc -l) functions: parents, groups and ACS as sysfs has them"

# root buses: one per pciDDDD:BB directory holding functions
buses=$(for d in /sys/bus/pci/devices/*; do
  p=$(readlink -f "$d")
  p=${p%/*} p=${p##*/}
  case $p in pci*) echo "${p#pci}" ;; esac
done | sort -u | tr '\n' ' ')
groups=$(echo "$want" | awk '$3 != "-" { print $3 }' | sort -un | tr '\n' ' ')
check_jsons /tmp/topo.json \
  "([.root_buses[].name] | join(\" \")) + \" \" == \"$buses\"" \
  "[.root_buses[] | .. | objects | select(.group_start == true) | .group] | sort | map(tostring) | join(\" \") == \"${groups% }\"" \
  '[.root_buses[] | .. | objects | select(has("bdf")) | select(.group != null) | .reason] | all(. != null)' \
  '[.root_buses[] | .. | objects | select(has("bdf")) | select(.group == null)] | all(.group_start == false)'
if [ -z "$groups" ]; then
  report "no IOMMU groups on $MACHINE: every function without one"
fi

# the text fits 80 columns off a terminal; the graph names every function
run sh -c "\"$IOMMUCTL\" topo >/tmp/topo.txt"
[ "$RC" = 0 ] || fail "topo exited $RC"
cat /tmp/topo.txt
wide=$(awk 'length > 80' /tmp/topo.txt | wc -l)
assert_eq "$wide" 0 "lines over 80 columns"
run sh -c "\"$IOMMUCTL\" topo --dot >/tmp/topo.dot"
[ "$RC" = 0 ] || fail "topo --dot exited $RC"
for d in /sys/bus/pci/devices/*; do
  grep -q "^ *\"${d##*/}\" \[label=" /tmp/topo.dot || fail "topo --dot has no node ${d##*/}"
done
if [ -n "$groups" ]; then
  assert_eq "$(grep -c '^  subgraph "cluster_group_' /tmp/topo.dot)" \
    "$(ls /sys/kernel/iommu_groups | wc -l)" "one cluster per IOMMU group"
fi

# completion: the live values are the system's functions and groups
got=$("$IOMMUCTL" --complete -- device show '' | sort | tr '\n' ' ')
want=$(cd /sys/bus/pci/devices && printf '%s\n' * | sort | tr '\n' ' ')
want="$want$(for g in /sys/kernel/iommu_groups/*/devices/*; do
  [ -e "$g" ] || continue
  [ -e "/sys/bus/pci/devices/${g##*/}" ] || echo "${g##*/}"
done | sort -u | tr '\n' ' ')"
assert_eq "$(echo "$got" | tr ' ' '\n' | sort | tr '\n' ' ')" \
  "$(echo "$want" | tr ' ' '\n' | sort | tr '\n' ' ')" "completion of device show"
got=$("$IOMMUCTL" --complete -- group show '' | sort -n | tr '\n' ' ')
want=$(ls /sys/kernel/iommu_groups 2>/dev/null | sort -n | tr '\n' ' ')
assert_eq "$got" "$want" "completion of group show"
echo "ok: completion values are sysfs's devices and groups"
