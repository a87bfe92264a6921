# machines: vtd vtd-next
# named-only: every verb as a user takes 90 to 210 s of guest time, too long for make check;
#   run it with: tests/vm/run --machine vtd --machine vtd-next --scenario unpriv
# timeout: 480
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: every verb as the unprivileged user iommuctl-test
# (uid 1000; busybox su needs no password for root), live. The verbs come
# from the binary itself (`iommuctl --list-cmds`, `iommuctl OBJ --list-cmds`,
# an alias object listing the same verbs as the one before it run once),
# and each verb's arguments from its own usage line (`OBJ VERB --help`):
# optional parts dropped, the first of each alternative taken, each
# placeholder given a value of this machine (DEVICE, DEV, BDF, PF, PARENT:
# a PCI function with a group; N: its group; UNIT: the first IOMMU unit;
# object ids and other numbers: 1; SIZE 4096, ADDR 0x100000, FILE a file
# holding "status"; COMMAND: true). So a new verb is covered without
# touching this file; a usage error (exit 2) passes only when root gets the
# same one (a verb that runs only inside batch or shell), else it fails.
# All verbs run as the user in one su; those that answered (exit 0) run
# again as root for comparison (never the others: root would change the
# host). Each verb as the user must:
#   - exit 0, 1 or 3 (never 2 or a signal) and, when it fails, say why on
#     stderr (naming /dev/iommu, debugfs, root, or the object);
#   - when it answers otherwise than root (-j), say what it could not read
#     (stderr, or the answer marks something unreadable, unknown,
#     uncertain or needing root): never a shorter answer passed as whole;
#   - never change the host: a mutating verb (vfio bind/restore/sriov/mdev,
#     exec, bind) cannot succeed (driver links and driver_override of the
#     device are as before);
# and ground truth: every path under /sys, /proc or /dev a message names
# as unreadable ("Permission denied", "cannot read", "root only") is one
# the user cannot read (test -r as the user), and "debugfs ... root only"
# holds (the user cannot list /sys/kernel/debug/iommu).
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e
U=iommuctl-test
id "$U" >/dev/null || fail "no user $U in the initramfs (tests/vm/mkinitrd)"

# this machine's values for the placeholders
D=""
for p in /sys/bus/pci/devices/*; do
  [ -e "$p/iommu_group" ] || continue
  [ -n "$D" ] || D=${p##*/}
  # the edu device when there is one, else the first function with a group
  if [ "$(cat "$p/vendor"):$(cat "$p/device")" = 0x1234:0x11e8 ]; then
    D=${p##*/}
    break
  fi
done
[ -n "$D" ] || fail "no PCI function with an IOMMU group"
G=$(basename "$(readlink /sys/bus/pci/devices/$D/iommu_group)")
UNIT=$(ls /sys/class/iommu | head -n 1)
drv_before=$(readlink /sys/bus/pci/devices/$D/driver 2>/dev/null || echo none)
ovr_before=$(cat /sys/bus/pci/devices/$D/driver_override)
W=/tmp/up
rm -rf $W && mkdir -p $W && chmod 0777 $W
echo status >$W/file && chmod 0644 $W/file

# the verbs, each with arguments from its usage line
: >$W/verbs
prev=""
for o in $("$IOMMUCTL" --list-cmds); do
  [ "$o" = help ] && continue
  verbs=$("$IOMMUCTL" "$o" --list-cmds | grep -vx help | tr '\n' ' ')
  [ "$verbs" = "$prev" ] && continue # an alias of the object before
  prev=$verbs
  for v in $verbs; do
    u=$("$IOMMUCTL" "$o" "$v" --help 2>&1 | grep -m1 '^usage: ' | sed "s/^usage: iommuctl $o $v//")
    # optional options dropped, optional operands kept, notes dropped,
    # then the first of each alternative
    a=$(echo "$u" | sed -e ':a' -e 's/\[-[^][]*\]//g' -e 's/\[\([^][]*\)\]/\1/g' -e 'ta' \
      -e 's/([a-z0-9 ]*)//g' -e 's/(\([^|)]*\)|[^)]*)/\1/g' -e 's/ | .*//' -e 's/|[^ ]*//g' \
      -e 's/\.\.\.//g')
    args=""
    for w in $a; do
      case $w in
      DEVICE | DEV | BDF | PF | PARENT) w=$D ;;
      N) if [ "$o" = group ]; then w=$G; else w=1; fi ;;
      UNIT) w=$UNIT ;;
      IOAS | HWPT | ACCESS | FAULT | VIOMMU | VDEVICE | VEVENTQ | HWQUEUE | ID | PIN_ID | DST | SRC) w=1 ;;
      SIZE) w=4096 ;;
      ADDR) w=0x100000 ;;
      FILE) w=$W/file ;;
      A | B) w=/ ;;
      ARG | OPTIONS) w="" ;;
      START-LAST) w=0x100000-0x1fffff ;;
      OBJECT) w=status ;;
      VERB) w=show ;;
      COMMAND) w=true ;;
      TYPE) w=none ;;
      HEX | BYTE) w=00 ;;
      MS | SECONDS) w=1 ;;
      NAME) w=up ;;
      USER) w=$U ;;
      esac
      args="$args $w"
    done
    echo "$o $v$args" >>$W/verbs
  done
done
n=$(wc -l <$W/verbs)
[ "$n" -gt 40 ] || fail "only $n verbs found"
report "$n verbs, arguments from their usage lines (device $D, group $G, unit $UNIT)"

# all of them as the user, in one su
cat >$W/run-all.sh <<EOF
i=0
while read -r line; do
  i=\$((i + 1))
  cd $W && $IOMMUCTL -j \$line >$W/\$i.json 2>$W/\$i.err </dev/null
  echo \$? >$W/\$i.rc
done <$W/verbs
EOF
su -s /bin/sh "$U" -c "sh $W/run-all.sh"

# ground truth: the host is unchanged
drv_after=$(readlink /sys/bus/pci/devices/$D/driver 2>/dev/null || echo none)
assert_eq "$drv_after" "$drv_before" "$D's driver after every verb as $U"
assert_eq "$(cat /sys/bus/pci/devices/$D/driver_override)" "$ovr_before" "$D's driver_override"

says='unreadable|cannot read|could not read|not readable|Permission denied|run as root|root only|needs root|uncertain|unknown|no-access|"certain": *false|EACCES|EPERM|Operation not permitted'
i=0 answered=0 refused=0 usage=0 bad=0 usage_list=""
: >$W/paths
while read -r line; do
  i=$((i + 1))
  rc=$(cat $W/$i.rc)
  why=""
  if [ "$rc" -ge 128 ]; then
    why="killed by signal $((rc - 128))"
  elif [ "$rc" = 2 ]; then
    # a usage error for root too (a verb that only runs inside batch or
    # shell): not about privilege, and nothing ran
    # shellcheck disable=SC2086
    (cd $W && "$IOMMUCTL" -j $line >/dev/null 2>$W/$i.rerr </dev/null) && rrc=0 || rrc=$?
    if [ "$rrc" = 2 ] && cmp -s $W/$i.err $W/$i.rerr; then
      usage=$((usage + 1))
      usage_list="$usage_list, $line"
    else
      why="exit 2 (usage) as $U, root: exit $rrc: $(head -n 1 $W/$i.err)"
    fi
  elif [ "$rc" != 0 ] && [ "$rc" != 1 ] && [ "$rc" != 3 ]; then
    why="exit $rc"
  elif [ "$rc" != 0 ] && [ ! -s $W/$i.err ]; then
    why="exit $rc without saying why"
  elif [ "$rc" = 0 ]; then
    case $line in
    "vfio bind"* | "vfio sriov"* | "vfio mdev"* | "device bind"* | "hwinfo show"*)
      why="succeeded as $U" ;;
    esac
  fi
  if [ -z "$why" ] && [ "$rc" = 0 ]; then
    answered=$((answered + 1))
    # shellcheck disable=SC2086
    (cd $W && "$IOMMUCTL" -j $line >$W/$i.root 2>/dev/null </dev/null) || true
    case $line in
    "report create"* | "diff show"* | "objects show"* | "exec run"*) ;; # per run
    *)
      if ! cmp -s $W/$i.json $W/$i.root && ! grep -Eq "$says" $W/$i.err $W/$i.json; then
        why="answers otherwise than root and does not say what it could not read"
      fi ;;
    esac
  elif [ -z "$why" ] && [ "$rc" != 2 ]; then
    refused=$((refused + 1))
  fi
  grep -E 'Permission denied|cannot read|unreadable|root only' $W/$i.err |
    grep -oE '(/sys|/proc|/dev)/[^ :,)]*' >>$W/paths || true
  grep -q 'debugfs.*root only' $W/$i.err && echo /sys/kernel/debug/iommu >>$W/paths
  if [ -n "$why" ]; then
    bad=$((bad + 1))
    echo "FAIL-LINE: $line: $why" >&2
    head -c 400 $W/$i.err | sed 's/^/  | /' >&2
  else
    echo "ok: $line: exit $rc$(head -n 1 $W/$i.err | cut -c1-150 | sed 's/^/: /')"
  fi
done <$W/verbs

# ground truth for what the messages call unreadable
sort -u $W/paths >$W/paths.u
# shellcheck disable=SC2016
su -s /bin/sh "$U" -c 'while read -r p; do if [ -d "$p" ]; then ls "$p" >/dev/null 2>&1 && echo "$p"; elif test -r "$p"; then echo "$p"; fi; done' \
  <$W/paths.u >$W/readable
if [ -s $W/readable ]; then
  fail "messages call readable paths unreadable: $(tr '\n' ' ' <$W/readable)"
fi
[ "$bad" = 0 ] || fail "$bad of $n verbs broke the rule as $U"
report "as $U: $answered verbs answered, $refused refused with exit 1 or 3 and a reason, $usage usage errors for root too (${usage_list#, }); $(wc -l <$W/paths.u) paths named unreadable, all truly unreadable"
