# shellcheck shell=sh
# Helpers for VM scenarios (busybox sh in the guest). A scenario starts with
#   . "${VM_LIB:-/tests/guest-lib.sh}"
# Environment from the runner: IOMMUCTL (the binary under test), MACHINE (the variant name).
# Exit status of a scenario: 0 pass, 77 skip, anything else fail.

: "${IOMMUCTL:=/usr/bin/iommuctl}" "${MACHINE:=unknown}"

# log MSG...: a line in the scenario's output
log() { echo "# $*"; }

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
  jq -e . "$_f" >/dev/null 2>&1 || { sed 's/^/  | /' "$_f"; fail "'$*' printed invalid JSON"; }
}

# check_json 'JQ-EXPR' FILE [MSG]: fails unless the jq expression is true (not false/null)
check_json() {
  if jq -e "$1" "$2" >/dev/null 2>&1; then
    echo "ok: $1"
  else
    echo "--- $2:" >&2
    head -c 4000 "$2" | sed 's/^/  | /' >&2
    fail "${3:-jq check failed}: $1"
  fi
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
