# shellcheck shell=sh
# Helpers for VM scenarios (busybox sh in the guest). A scenario starts with
#   . "${VM_LIB:-/tests/guest-lib.sh}"
# Environment from the runner: IOMMUCTL (the binary under test), MACHINE (the variant name).
# Exit status of a scenario: 0 pass, 77 skip, anything else fail.

: "${IOMMUCTL:=/usr/bin/iommuctl}" "${MACHINE:=unknown}"

# log MSG...: a line in the scenario's output
log() { echo "# $*"; }

# report MSG...: a line the host shows in its log even when the scenario passes
report() { echo "REPORT: $*"; }

# fail MSG...: the scenario fails here
fail() { echo "FAIL: $*" >&2; exit 1; }

# skip MSG...: the scenario does not apply here (reported as SKIP)
skip() { echo "SKIP: $*" >&2; exit 77; }

# run CMD...: shows the command and runs it; its exit status is left in RC (never exits)
run() {
  echo "+ $*"
  case $- in *e*) _e=1; set +e ;; *) _e= ;; esac
  "$@"
  RC=$?
  [ -z "$_e" ] || set -e
  return 0
}

# expect_rc N CMD...: runs CMD (output shown), fails unless it exits with N
expect_rc() {
  _want=$1; shift
  run "$@"
  [ "$RC" -eq "$_want" ] || fail "'$*' exited $RC, expected $_want"
}

# ok CMD...: runs CMD (output shown), fails unless it exits 0
ok() { expect_rc 0 "$@"; }

# json_to FILE CMD...: runs CMD with stdout to FILE (stderr shown), fails unless it exits 0
# and FILE is valid JSON
json_to() {
  _f=$1; shift
  echo "+ $* > $_f"
  case $- in *e*) _e=1; set +e ;; *) _e= ;; esac
  "$@" >"$_f"
  RC=$?
  [ -z "$_e" ] || set -e
  [ "$RC" -eq 0 ] || { sed 's/^/  | /' "$_f"; fail "'$*' exited $RC"; }
  jq -n -e 'input | . != null' "$_f" >/dev/null 2>&1 ||
    { sed 's/^/  | /' "$_f"; fail "'$*' printed no valid JSON"; }
}

# check_json 'JQ-EXPR' FILE [MSG]: fails unless the jq expression is true (not false/null)
check_json() {
  # (-n with input: an empty or missing file fails instead of passing)
  if jq -n -e "input | $1" "$2" >/dev/null 2>&1; then
    echo "ok: $1"
  else
    echo "--- $2:" >&2
    head -c 4000 "$2" | sed 's/^/  | /' >&2
    fail "${3:-jq check failed}: $1"
  fi
}

# check_jsons FILE 'JQ-EXPR'...: like check_json for each expression, in one jq run (jq
# takes ~0.25 s to start under TCG: prefer this for more than a couple of checks)
check_jsons() {
  _f=$1; shift
  # shellcheck disable=SC2016 # $d is jq's
  _prog='input as $d | '; _sep=''
  for _e in "$@"; do
    _prog="$_prog$_sep([\$d | ($_e)] | last | if . == null or . == false then \"no\" else \"ok\" end)"
    _sep=', '
  done
  if ! _res=$(jq -n -r "$_prog" "$_f" 2>&1); then
    # a jq error (or no JSON): find the culprit one by one
    for _e in "$@"; do check_json "$_e" "$_f"; done
    fail "check_jsons: jq failed: $_res"
  fi
  _i=0
  for _e in "$@"; do
    _i=$((_i + 1))
    _r=$(echo "$_res" | sed -n "${_i}p")
    if [ "$_r" = ok ]; then echo "ok: $_e"; else check_json "$_e" "$_f"; fi
  done
}

# by_tag IN OUT [N]: the documents `batch --results` printed to IN (one per line run) as
# one JSON object in OUT, each tagged line's document under its tag:
#   {"map": {"line": 4, "tag": "map", "command": ..., "exit": 0, "result": ...}, ...}
# Fails unless IN is one JSON document per line and, given N, N lines ran.
by_tag() {
  _n=$(jq -s length "$1" 2>/dev/null) ||
    { sed 's/^/  | /' "$1"; fail "$1: not one JSON document per line run"; }
  [ -z "${3:-}" ] || [ "$_n" -eq "$3" ] ||
    { cut -c1-200 "$1" | sed 's/^/  | /'; fail "$1: $_n lines ran, expected $3"; }
  jq -s 'map(select(.tag != null) | {(.tag): .}) | add // {}' "$1" >"$2"
}

# assert_eq GOT WANT [MSG]
assert_eq() {
  [ "$1" = "$2" ] || fail "${3:-values differ}: got '$1', want '$2'"
}

# require_path PATH: skips the scenario unless PATH exists
require_path() { [ -e "$1" ] || skip "$1 does not exist on $MACHINE"; }

# machine_is NAME...: true if MACHINE is one of the names
machine_is() {
  for _m in "$@"; do [ "$MACHINE" = "$_m" ] && return 0; done
  return 1
}

# require_prog NAME...: fails (not skips) unless each test program is in the guest's PATH:
# tests/vm/run copies the programs built by `make vm-progs` (--progs DIR)
require_prog() {
  for _p in "$@"; do
    command -v "$_p" >/dev/null 2>&1 ||
      fail "test program $_p is not in the guest: build it with 'make vm-progs' (tests/vm/run --progs DIR)"
  done
}

# vfio_cdev BDF: prints the device's VFIO cdev (/dev/vfio/devices/vfioN), waiting up to 5 s
# for the node; fails if the device has none (not bound to vfio-pci)
vfio_cdev() {
  _i=0
  while [ "$_i" -lt 50 ]; do
    for _d in /sys/bus/pci/devices/"$1"/vfio-dev/vfio*; do
      [ -e "$_d" ] || continue
      if [ -c "/dev/vfio/devices/${_d##*/}" ]; then echo "/dev/vfio/devices/${_d##*/}"; return 0; fi
    done
    sleep 0.1
    _i=$((_i + 1))
  done
  fail "$1 has no VFIO device cdev under /dev/vfio/devices (is it bound to vfio-pci?)"
}

# ext_caps BDF: the PCIe extended capability IDs of a function, one per line (decimal),
# read from its config file: each header (from 0x100) has the ID in bits 0-15 and the next
# header's offset in bits 20-31
ext_caps() {
  _off=256 _n=0
  while [ "$_off" -ge 256 ] && [ $_n -lt 64 ]; do
    _h=$(od -An -tx4 -j "$_off" -N4 "/sys/bus/pci/devices/$1/config" 2>/dev/null | tr -d ' ')
    [ -n "$_h" ] && [ "$_h" != 00000000 ] && [ "$_h" != ffffffff ] || break
    echo $((0x$_h & 0xffff))
    _off=$((0x$_h >> 20 & 0xffc)) _n=$((_n + 1))
  done
}

# qemu_monitor COMMAND...: asks the host to run COMMAND in QEMU's human monitor (only
# "device_del ID" and "device_add DRIVER,KEY=VALUE,..."; tests/vm/host-lib.sh
# vm_monitor_relay). Nothing comes back: wait for what the command does (the device going
# away or appearing in sysfs).
qemu_monitor() { echo "@@QEMU $*" >/dev/ttyS1; }
