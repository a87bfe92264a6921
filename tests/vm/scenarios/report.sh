# machines: all vtd-next arm64-smmuv3 arm64-next
# timeout: 240
# shellcheck shell=sh source-path=SCRIPTDIR
# `iommuctl report` on every machine variant. The bundle goes back to the host (out/),
# where scenarios/report.host unpacks it and requires every offline answer to equal the
# live one recorded in it, checks the manifest's checksums, and reads a hostile copy of it;
# scenarios/report.host-all diffs the bundles of two machines.
# Here: the bundle's mode and summary, the tree and metadata it holds compared with this
# guest's own sysfs (counted with busybox), a report as an unprivileged user (partial, and
# says why), --no-debugfs, and --root on the bundle file inside the guest.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

mkdir -p out
json_to /tmp/sum.json "$IOMMUCTL" -j report -o out/bundle.tar.gz
assert_eq "$(stat -c %a out/bundle.tar.gz)" 600 "bundle file mode"
ls out/bundle.tar.gz.* >/dev/null 2>&1 && fail "a temporary file was left beside the bundle"
ngroups=$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)
npci=$(find /sys/bus/pci/devices -mindepth 1 -maxdepth 1 | wc -l)
check_jsons /tmp/sum.json \
  '.complete == true' \
  '.file == "out/bundle.tar.gz"' \
  '.files > 100 and .size > 1000' \
  'all(.missing[]; .kind == "absent" or .kind == "unreadable")'
report "bundle: $(jq -r '"\(.size) bytes, \(.files) files, \(.missing | length) noted"' /tmp/sum.json)"

# What the bundle holds, compared with the guest's own view (busybox tar lists it)
tar -tzf out/bundle.tar.gz >/tmp/list
top=$(head -n 1 /tmp/list | cut -d/ -f1)
assert_eq "$top" bundle "top directory named after the file"
for p in report/manifest.json report/README.txt report/kernel-log.txt proc/cmdline proc/version \
  proc/interrupts sys/kernel/iommu_groups sys/class/iommu sys/bus/pci/devices dev/vfio; do
  grep -qx "bundle/$p/\{0,1\}" /tmp/list || fail "bundle lacks $p"
done
got=$(grep -c '^bundle/sys/kernel/iommu_groups/[0-9]*/type$' /tmp/list || true)
assert_eq "$got" "$ngroups" "groups in the bundle"
got=$(grep -c '^bundle/sys/bus/pci/devices/[^/][^/]*$' /tmp/list || true)
assert_eq "$got" "$npci" "PCI devices in the bundle"
# side-effect files and device memory are never read
if grep -E '/(remove|reset|rescan|rom|resource[0-9]+)$' /tmp/list | head -n 3 | grep .; then
  fail "the bundle holds files with side effects"
fi
mkdir -p /tmp/u && tar -xzf out/bundle.tar.gz -C /tmp/u
man=/tmp/u/bundle/report/manifest.json
# the kernel log lines are the IOMMU ones of dmesg
want=$(dmesg | grep -ciE 'iommu|dmar|amd-vi|smmu|vfio' || true)
got=$(wc -l </tmp/u/bundle/report/kernel-log.txt)
[ "$got" -ge "$want" ] || fail "kernel-log.txt has $got lines, dmesg has $want IOMMU lines"
cmp -s /tmp/u/bundle/proc/cmdline /proc/cmdline || fail "proc/cmdline differs"
check_jsons "$man" \
  '.format == 1' \
  '.kernel.release == "'"$(uname -r)"'"' \
  'any(.nodes[]; .path == "/dev/iommu" and .type == "char" and .mode == "0'"$(stat -c %a /dev/iommu)"'")' \
  'any(.commands[]; .command == "group list" and (.exit | type == "number") and .offline)' \
  'any(.commands[]; .command == "probe" and (.offline | not))' \
  '[.files[] | select(.type == "file")] | length > 100' \
  'any(.missing[]; .path == "/proc/config.gz" and .kind == "absent")'
# every answer that exited 0 is JSON: one jq over all (a jq per file took
# 18 s of TCG time); a file that parses to nothing is missing from the names
files=$(jq -r '.commands[] | select(.exit == 0) | "/tmp/u/bundle/" + .file' "$man")
# shellcheck disable=SC2086
got=$(jq -n '[inputs | input_filename] | unique | length' $files) || {
  for n in $files; do jq -e . "$n" >/dev/null || fail "$n is not JSON"; done
}
assert_eq "$got" "$(echo "$files" | wc -l)" "recorded answers that are JSON"
rm -rf /tmp/u

# The debugfs files are there unless --no-debugfs
if [ -d /sys/kernel/debug/iommu ]; then
  grep -q '^bundle/sys/kernel/debug/iommu/' /tmp/list || fail "no debugfs files in the bundle"
  ok "$IOMMUCTL" report --no-debugfs -q -o /tmp/nd.tar.gz
  if tar -tzf /tmp/nd.tar.gz | grep -q '/sys/kernel/debug/'; then fail "--no-debugfs kept debugfs"; fi
fi

# As an unprivileged user: the bundle is written, partial, and says why
chmod 1777 /tmp
su -s /bin/sh iommuctl-test -c "cd /tmp && $IOMMUCTL -j report -q -o /tmp/user.tar.gz" >/tmp/user.json ||
  fail "report as a user failed: $(cat /tmp/user.json)"
check_jsons /tmp/user.json '.complete == false' \
  'any(.missing[]; .kind == "permission" and (.reason | test("root")))' \
  'any(.missing[]; .kind == "permission" and (.path | endswith("/config")) and (.reason | test("config space")))'
report "as a user: $(jq -r '[.missing[] | select(.kind == "permission")] | length' /tmp/user.json) left out for permission"

# --root on the bundle file itself, inside the guest
json_to /tmp/off.json "$IOMMUCTL" --root out/bundle.tar.gz -j device list
json_to /tmp/live.json "$IOMMUCTL" -j device list
cmp -s /tmp/off.json /tmp/live.json || fail "device list from the bundle differs from live"

# a bundle on stdout; a terminal is refused
"$IOMMUCTL" report -q -o - >/tmp/stdout.tar.gz 2>/tmp/stdout.err || fail "report -o - failed"
tar -tzf /tmp/stdout.tar.gz | grep -q '^iommuctl-report/report/manifest.json$' || fail "report -o - is not a bundle"
