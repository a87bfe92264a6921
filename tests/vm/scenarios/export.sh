# machines: vtd vtd-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: `iommuctl metrics` (Prometheus text for node_exporter's
# textfile collector) and `iommuctl nfd` (a features.d file of Node Feature
# Discovery's local source), live, against what the guest reads itself:
#   - units by kind: the names in /sys/class/iommu (dmarN: intel-vtd,
#     iommufd_selftest_iommu.N: iommufd-mock);
#   - groups by default domain type: /sys/kernel/iommu_groups/*/type,
#     lower-cased and counted; viable groups: those whose every device has
#     no driver, or vfio-pci, pci-stub or pcieport (a bridge);
#   - devices on vfio-pci: /sys/bus/pci/drivers/vfio-pci/0000:*;
#   - interrupt remapping: IR-* chips in /proc/interrupts;
#   - iommufd and VFIO cdevs: /dev/iommu, a vfio-dev major in /proc/devices,
#     /dev/vfio/devices/*;
#   - fault counts: DMAR fault lines in dmesg, counted with grep.
# Both are written twice with --output (the atomic replace: no dot-file left
# behind): first as the machine booted, then after QEMU's edu device was
# bound to vfio-pci (`vfio bind`) and made to DMA into an IOVA range that was
# unmapped (edu-dma --after-unmap): the IOMMU blocks it and the kernel logs a
# real DMAR fault, which the second metrics must count (one more than the
# first, as dmesg says). The second nfd asks the readiness questions with the
# bound edu: its nesting, dirty-tracking, pasid and iopf labels must be the
# kernel's answers as `hwinfo -j` reports them, and agree with the unit's
# ECAP in sysfs: nesting needs SMTS (scalable mode) and NEST, dirty tracking
# SMTS and SSADS, PASID SMTS (the legacy-mode vtd machine has none); the edu
# has no PASID capability, so iommu-pasid is false everywhere. The first nfd (no device on vfio-pci) leaves the four out,
# each with a comment saying so.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e
require_prog edu-dma
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run /tmp/textfile /tmp/features.d

bdf=$(for d in /sys/bus/pci/devices/0000:00:*; do
  [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && { echo "${d##*/}"; break; }
done)
[ -n "$bdf" ] || fail "no edu device on the root bus"
ns=feature.node.kubernetes.io

# ---- ground truth, from sysfs, procfs, /dev and dmesg --------------------
truth_units() { # one "kind count" line per kind, sorted
  for u in /sys/class/iommu/*; do
    case ${u##*/} in
    dmar*) echo intel-vtd ;;
    iommufd_selftest_iommu*) echo iommufd-mock ;;
    *) echo "unknown-${u##*/}" ;;
    esac
  done | sort | uniq -c | awk '{print "iommuctl_iommu_units{kind=\"" $2 "\"} " $1}'
}
truth_groups() {
  cat /sys/kernel/iommu_groups/*/type | tr 'A-Z' 'a-z' | sort | uniq -c |
    awk '{print "iommuctl_groups{domain_type=\"" $2 "\"} " $1}'
}
truth_viable() {
  n=0
  for g in /sys/kernel/iommu_groups/*; do
    v=1
    for d in "$g"/devices/*; do
      [ -e "$d/driver" ] || continue
      drv=$(basename "$(readlink "$d/driver")")
      case $drv in vfio-pci | pci-stub | pcieport) ;; *) v=0 ;; esac
    done
    n=$((n + v))
  done
  echo "$n"
}
truth_vfio_pci() { ls -d /sys/bus/pci/drivers/vfio-pci/0000:* 2>/dev/null | wc -l; }
truth_ir() { if grep -q ' IR-' /proc/interrupts; then echo enabled; else echo disabled; fi; }
truth_cdevs() { ls /dev/vfio/devices 2>/dev/null | wc -l; }
truth_faults() { dmesg | grep -c 'DMAR: \[[^]]*\] Request device \[' || true; }

# truth: the guest's own values, read once per phase
truth() {
  [ -e /dev/iommu ] && fd=1 || fd=0
  grep -q " vfio-dev$" /proc/devices && cd=1 || cd=0
  viable=$(truth_viable) ir=$(truth_ir) nvfio=$(truth_vfio_pci)
}

# metrics_check FILE: every sample the guest can tell, as the guest tells it
metrics_check() {
  f=$1
  {
    truth_units
    truth_groups
    echo "iommuctl_groups_viable $viable"
    echo "iommuctl_vfio_pci_devices $nvfio"
    echo "iommuctl_interrupt_remapping{state=\"$ir\"} 1"
    echo "iommuctl_iommufd_present $fd"
    echo "iommuctl_vfio_cdev_supported $cd"
    echo "iommuctl_vfio_cdevs $(truth_cdevs)"
    echo "iommuctl_kernel_log_read 1"
    echo "iommuctl_faults_logged{kind=\"intel-vtd\"} $(truth_faults)"
    echo "iommuctl_build_info{version=\"$("$IOMMUCTL" --version | sed 's/^iommuctl //')\"} 1"
  } | sort >/tmp/want.prom
  grep -v '^#' "$f" | sort >/tmp/got.prom
  missing=$(grep -vxF -f /tmp/got.prom /tmp/want.prom || true)
  [ -z "$missing" ] || { sed 's/^/  | /' "$f"; fail "metrics lack (or differ in) the guest's own values: $missing"; }
  # every metric has one HELP and one TYPE gauge line
  bad=$(awk '/^# HELP /{h[$3]++} /^# TYPE /{if ($4 == "gauge") t[$3]++}
    !/^#/{sub(/[{ ].*/, ""); m[$0] = 1}
    END {for (k in m) if (h[k] != 1 || t[k] != 1) print k}' "$f")
  [ -z "$bad" ] || fail "metrics without one HELP and one TYPE gauge line: $bad"
  # nothing left beside the file
  [ "$(ls -A "$(dirname "$f")" | wc -l)" = 1 ] || fail "more than the one file in $(dirname "$f"): $(ls -A "$(dirname "$f")")"
}

# nfd_check FILE: the labels the guest can tell
nfd_check() {
  f=$1
  tf() { if [ "$1" = 1 ] || [ "$1" = enabled ]; then echo true; else echo false; fi; }
  for l in "iommu-present=true" "iommu-kind=intel-vtd" "iommu-iommufd=$(tf $fd)" "iommu-vfio-cdev=$(tf $cd)" \
    "iommu-interrupt-remapping=$(tf $ir)" "iommu-msi-isolated=$(tf $ir)" "iommu-viable-groups=$viable"; do
    grep -qx "$ns/$l" "$f" || { sed 's/^/  | /' "$f"; fail "nfd: no line $ns/$l"; }
  done
  # NFD's format: comments, or NS/NAME=VALUE with a label name and value
  bad=$(grep -v '^#' "$f" | grep -vE "^$ns/[A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]=[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" || true)
  [ -z "$bad" ] || fail "nfd: lines NFD would not take as labels: $bad"
  [ "$(ls -A "$(dirname "$f")" | wc -l)" = 1 ] || fail "more than the one file in $(dirname "$f")"
}

# ---- 1. as booted ------------------------------------------------------------
[ ! -e /sys/bus/pci/drivers/vfio-pci/$bdf ] || fail "edu $bdf is on vfio-pci before the scenario"
faults0=$(truth_faults)
truth
ok "$IOMMUCTL" metrics --output /tmp/textfile/iommuctl.prom
metrics_check /tmp/textfile/iommuctl.prom
ok "$IOMMUCTL" nfd --output /tmp/features.d/iommuctl
# with no device on vfio-pci the verdicts are left out, each said why
if [ "$nvfio" = 0 ]; then
  for n in nesting dirty-tracking pasid iopf; do
    grep -q "^# $ns/iommu-$n: not asked: no device is on vfio-pci" /tmp/features.d/iommuctl ||
      { sed 's/^/  | /' /tmp/features.d/iommuctl; fail "nfd: iommu-$n not explained as not asked"; }
    ! grep -q "^$ns/iommu-$n=" /tmp/features.d/iommuctl || fail "nfd: iommu-$n given without a device"
  done
fi
nfd_check /tmp/features.d/iommuctl
report "as booted: $(grep -c '^iommuctl' /tmp/textfile/iommuctl.prom) samples, faults $faults0, viable $viable, $(grep -vc '^#' /tmp/features.d/iommuctl) labels"

# ---- 2. edu on vfio-pci, and a real DMA fault ---------------------------------
ok "$IOMMUCTL" vfio bind "$bdf"
trap '"$IOMMUCTL" vfio restore $bdf' EXIT
vfio_cdev "$bdf" >/dev/null
edu-dma --device "$bdf" --after-unmap >/tmp/dma.out 2>&1 || { cat /tmp/dma.out; fail "edu-dma --after-unmap failed"; }
grep -q '^after_unmap=done' /tmp/dma.out || fail "edu-dma: no after_unmap=done"
i=0
while [ "$(truth_faults)" = "$faults0" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
faults1=$(truth_faults)
[ "$faults1" -gt "$faults0" ] || fail "no DMAR fault logged after the DMA into the unmapped range"
truth
[ "$nvfio" -ge 1 ] || fail "no device on vfio-pci after vfio bind"
ok "$IOMMUCTL" metrics --output /tmp/textfile/iommuctl.prom
metrics_check /tmp/textfile/iommuctl.prom
grep -qx "iommuctl_faults_logged{kind=\"intel-vtd\"} $faults1" /tmp/textfile/iommuctl.prom ||
  fail "faults_logged is not the $faults1 DMAR fault lines of dmesg"

ok "$IOMMUCTL" nfd --output /tmp/features.d/iommuctl --expiry 600
nfd_check /tmp/features.d/iommuctl
grep -q "^# +expiry-time=20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$" /tmp/features.d/iommuctl ||
  fail "nfd --expiry: no '# +expiry-time=' RFC 3339 line"
json_to /tmp/hw.json "$IOMMUCTL" -j hwinfo "$bdf"
ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap)
smts=$(((0x$ecap >> 43) & 1)) nest=$(((0x$ecap >> 26) & 1)) ssads=$(((0x$ecap >> 45) & 1))
# hwinfo's verdicts, one jq run: "nesting=true dirty-tracking=null ..."
hw=$(jq -r '[.ready[] | {"live-migration": "dirty-tracking"}[.name] as $n |
  "\($n // .name)=\(.ready)"] | join(" ")' /tmp/hw.json)
for n in nesting dirty-tracking pasid iopf; do
  want=$(echo " $hw " | sed -n "s/.* $n=\([a-z]*\) .*/\1/p")
  got=$(sed -n "s|^$ns/iommu-$n=||p" /tmp/features.d/iommuctl)
  [ -n "$want" ] || fail "hwinfo -j $bdf gave no $n verdict: $hw"
  if [ "$want" = null ]; then
    [ -z "$got" ] || fail "nfd: iommu-$n=$got where hwinfo says unknown"
  else
    assert_eq "$got" "$want" "nfd iommu-$n against hwinfo's verdict (the kernel's answer)"
  fi
  # the unit's own capabilities bound the answers: no nesting without
  # ECAP.SMTS and ECAP.NEST, no dirty tracking without SMTS and SSADS, no
  # PASID without SMTS (legacy mode has none of the three)
  case $n in
  nesting) cap=$((smts & nest)) ;;
  dirty-tracking) cap=$((smts & ssads)) ;;
  pasid) cap=$smts ;;
  *) cap=1 ;;
  esac
  [ "$cap" = 1 ] || assert_eq "$got" false "nfd iommu-$n with ECAP 0x$ecap (SMTS $smts NEST $nest SSADS $ssads)"
  [ "$n" != pasid ] || assert_eq "$got" false "nfd iommu-pasid (the edu has no PASID capability)"
  eval "r_$(echo "$n" | tr - _)=\$got"
done
report "edu on vfio-pci, DMA fault: faults $faults0 -> $faults1; nfd (ECAP 0x$ecap: SMTS $smts NEST $nest SSADS $ssads): nesting=$r_nesting dirty-tracking=$r_dirty_tracking pasid=$r_pasid iopf=$r_iopf"
