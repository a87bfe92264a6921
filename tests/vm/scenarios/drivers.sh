# machines: vtd vtd-next
# timeout: 90
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: two IOMMU drivers in one iommufd session, one
# `batch` per machine: the edu device (00:03.0) behind VT-d, bound with
# `iommuctl vfio bind` and into the session by its cdev, and a selftest
# mock device behind the selftest's IOMMU. Linux 7.3 allocates domains per
# device, so both can share an IOAS: the kernel answers a first attach to
# the other driver's hwpt with EINVAL (checked, and explained), and makes a
# separate automatic hwpt for each driver in the IOAS (the hwpt ids it
# reports differ, both in the same IOAS); a paging hwpt is allocated per
# device (`hwpt alloc --device`), and each device moves onto its own.
# Moving an attached device onto the other driver's hwpt is not refused by
# 7.3.4 but crashes it (seen while preparing this scenario: a mock moved
# onto VT-d's hwpt oopsed with a NULL pointer dereference, the edu moved
# onto a mock's hwpt hung its CPU), so iommuctl must refuse those moves
# itself (EXDEV) without asking, and the kernel log must stay free of an
# Oops. `device hw-info` (the kernel's IOMMU_GET_HW_INFO) names the two
# drivers. Linux 6.12 cannot make the mock while VT-d is active (the
# kernel gives it VT-d, which does not take it): `device mock` fails,
# exit 1 and EINVAL, naming the VT-d unit read from /sys/class/iommu.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

EDU=0000:00:03.0
export IOMMUCTL_RUN_DIR=/run/iommuctl
mkdir -p /run
ok "$IOMMUCTL" vfio bind $EDU
trap '"$IOMMUCTL" vfio restore $EDU' EXIT
cdev=$(vfio_cdev $EDU)
unit=$(ls /sys/class/iommu | grep -v selftest | head -n1)
log "edu on vfio-pci ($cdev), VT-d unit $unit"

if [ "$(uname -r | cut -d. -f1)" -lt 7 ]; then
  cat >/tmp/d.batch <<EOF
@a ioas create --name a
@edu device bind ${cdev##*/} --name edu
@att device attach edu --pt a
@m device mock --ioas a --name m
@hv hwpt alloc --device edu --ioas a --name hv
EOF
  n=5
else
  cat >/tmp/d.batch <<EOF
@a ioas create --name a
@m device mock --ioas a --name m
@hm hwpt alloc --device m --ioas a --name hm
@edu device bind ${cdev##*/} --name edu
@edu_first device attach edu --pt hm
@att device attach edu --pt a
@objs objects
@hv hwpt alloc --device edu --ioas a --name hv
@m_first device mock --ioas hv --name m2
@edu_own device replace edu --pt hv
@m_own device replace m --pt hm
@edu_move device replace edu --pt hm
@m_move device replace m --pt hv
@hw_edu device hw-info edu
@hw_m device hw-info m
@show device show m
@unbind_m device unbind m
@unbind_edu device unbind edu
EOF
  n=18
fi
echo "+ iommuctl batch --results --keep-going /tmp/d.batch"
set +e
"$IOMMUCTL" batch --results --keep-going /tmp/d.batch >/tmp/d.json 2>/tmp/d.err
set -e
sed 's/^/  stderr| /' /tmp/d.err
by_tag /tmp/d.json /tmp/r.json $n
jq -r 'to_entries[] | "  \(.key): exit \(.value.exit) \(.value.error.error // "")"' /tmp/r.json

if [ $n = 5 ]; then
  check_jsons /tmp/r.json \
    '.edu.result.mock == false and .att.exit == 0' \
    '.m | .exit == 1 and .error.errno == 22 and (.error.error | test("cannot bind mock devices here: .*first IOMMU registered \\('"$unit"' here\\).*only where no other IOMMU driver is active"))' \
    '.hv.exit == 0 and .hv.result.device == .edu.result.id'
  report "6.12: $(jq -r '.m.error.error' /tmp/r.json)"
  exit 0
fi

check_jsons /tmp/r.json \
  '.m.exit == 0 and .hm.exit == 0 and .edu.exit == 0' \
  '.edu_first.error | .errno == 22 and (.error | test("hwpt [0-9]+ \\(hm\\) is a hwpt of the selftest.s IOMMU driver.*only to hwpts of its own IOMMU driver \\(EINVAL\\)"))' \
  '.att.exit == 0 and .att.result.attached != .m.result.attached' \
  '([.objs.result.objects[] | select(.type == "hwpt-paging" and .auto) | {id, ioas}] | sort_by(.id)) == ([{id: .m.result.attached, ioas: .a.result.id}, {id: .att.result.attached, ioas: .a.result.id}] | sort_by(.id))' \
  '.hv.exit == 0 and .hv.result.device == .edu.result.id and .hv.result.ioas == .a.result.id' \
  '.m_first.error | .errno == 22 and (.error | test("hwpt [0-9]+ \\(hv\\) is a hwpt of a real device.s IOMMU driver"))' \
  '.edu_own.result.attached == .hv.result.id and .m_own.result.attached == .hm.result.id' \
  '.edu_move.error | .errno == 18 and (.error | test("hwpt [0-9]+ \\(hm\\) is a hwpt of the selftest.s IOMMU driver.*crashes it"))' \
  '.m_move.error | .errno == 18 and (.error | test("hwpt [0-9]+ \\(hv\\) is a hwpt of a real device.s IOMMU driver"))' \
  '.hw_edu.result.type == "intel-vtd" and .hw_m.result.type == "selftest"' \
  '.show.result.attached == .hm.result.id and .show.result.pasids == []' \
  '.unbind_m.exit == 0 and .unbind_edu.exit == 0'
if dmesg | grep -q -e 'Oops' -e 'BUG:'; then
  dmesg | tail -n 30
  fail "the kernel logged an Oops"
fi
report "7.3: VT-d auto hwpt $(jq '.att.result.attached' /tmp/r.json), mock auto hwpt $(jq '.m.result.attached' /tmp/r.json), both in ioas $(jq '.a.result.id' /tmp/r.json)"
report "7.3: $(jq -r '.edu_first.error.error' /tmp/r.json)"
report "7.3: $(jq -r '.edu_move.error.error' /tmp/r.json)"
