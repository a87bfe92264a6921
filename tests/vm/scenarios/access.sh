# machines: plain plain-next
# timeout: 120
# shellcheck shell=sh source-path=SCRIPTDIR
# THEORY OF OPERATION: accesses (the in-kernel, mdev-style IOAS users the
# iommufd selftest makes) and the IOAS features around them, each checked
# against the kernel's own answers, in one `batch --results` session:
# - Pins: the session records each pin (id, IOVA range) and `access show`
#   lists them. The kernel keeps its own list: an unmap over pinned pages
#   calls the selftest access's unmap callback, which releases every pin that
#   overlaps the unmapped mapping, and `access replace` to another IOAS
#   releases all of them (unmap callback for 0..ULONG_MAX); a replace to the
#   same IOAS changes nothing. Ground truth is DESTROY_ACCESS_PAGES: unpinning
#   a pin the kernel released gets ENOENT from the kernel, unpinning one it
#   kept succeeds, so after each step the session's list must agree with it.
# - ADD_RESERVED (`ioas reserve`, a selftest-only verb): IOMMU_IOAS_IOVA_RANGES
#   must show the hole, the kernel must refuse a map into it (its errno) and
#   take maps right beside it, and refuse the reserve over a mapping.
# - `access rw` both ways against bytes the guest owns: on 6.13+ a file in the
#   guest's tmpfs (random bytes) is mapped with `ioas map-file`; reading it
#   through the access must give the file's bytes (od), and bytes written
#   through the access must be in the file afterwards (od). 6.12 has no
#   IOMMU_IOAS_MAP_FILE: `ioas map-file` must exit 3 naming 6.13, and rw is
#   checked on a memfd mapping instead, from outside the iommuctl process
#   (a batch fed through a FIFO; the guest opens the memfd as
#   /proc/PID/fd/N): bytes written through the access must appear in the
#   memfd, bytes written into the memfd must be read through the access.
# shellcheck source=../guest-lib.sh
. "${VM_LIB:-/tests/guest-lib.sh}"
set -e

# IOMMU_IOAS_MAP_FILE came in 6.13: the kernel's version says which half runs
kver=$(uname -r)
kmaj=${kver%%.*}
kmin=${kver#*.}
kmin=${kmin%%.*}
if [ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 13 ]; }; then mapfile=true; else mapfile=false; fi
log "kernel $kver: IOMMU_IOAS_MAP_FILE expected: $mapfile"
warnings=$(dmesg | grep -c 'cut here' || true)
head -c 8192 /dev/urandom >/tmp/access-file
want=$(od -An -tx1 -v /tmp/access-file | tr -d ' \n')

cat >/tmp/a.batch <<'EOF'
@a ioas create --name a
@b ioas create --name b
@m1 ioas map a --size 64k --iova 0x100000
@m2 ioas map a --size 64k --iova 0x200000
# an access made without --needs-pin cannot pin
@nopin access create --ioas a --name nopin
@pin_nopin access pin nopin --iova 0x100000 --size 4k
@acc access create --ioas a --needs-pin --name acc
@p0 access pin acc --iova 0x100000 --size 4k
@p1 access pin acc --iova 0x101000 --size 8k --write
@p2 access pin acc --iova 0x200000 --size 4k
@show1 access show acc
# unmapping the first mapping makes the kernel release p0 and p1, not p2
@unmap1 ioas unmap a --iova 0x100000 --size 64k
@show2 access show acc
@unpin_p0 access unpin acc 0
@p3 access pin acc --iova 0x200000 --size 4k
# to the same IOAS: nothing released; to another: everything
@same access replace acc --ioas a
@show3 access show acc
@unpin_p2 access unpin acc 2
@replace access replace acc --ioas b
@show4 access show acc
@unpin_p3 access unpin acc 3
# a selftest reserved range in b
@res ioas reserve b --iova 0x400000 --size 64k
@ranges ioas ranges b
@show_b ioas show b
@map_in ioas map b --size 4k --iova 0x404000
@map_below ioas map b --size 4k --iova 0x3ff000
@map_above ioas map b --size 4k --iova 0x410000
@res_over ioas reserve b --iova 0x410000 --size 4k
# rw through the access on a file of the guest's tmpfs (6.13+)
@mf ioas map-file b /tmp/access-file --iova 0x800000
@rw_read access rw acc --iova 0x800000 --read 8192
@rw_write access rw acc --iova 0x800100 --write-hex 0xdeadbeefcafef00d
EOF
set +e
"$IOMMUCTL" batch --keep-going --results /tmp/a.batch >/tmp/a.json 2>/tmp/a.err
RC=$?
set -e
sed 's/^/  stderr| /' /tmp/a.err
[ "$RC" -eq 1 ] || fail "batch with expected refusals exited $RC, expected 1"
by_tag /tmp/a.json /tmp/r.json 31
report "batch exit $RC; refusals (exit, errno): $(jq -c '[to_entries[] | select(.value.exit != 0) | {(.key): [.value.exit, .value.error.errno]}] | add' /tmp/r.json)"

check_jsons /tmp/r.json \
  '.pin_nopin.exit == 1 and .pin_nopin.error.errno == 95 and (.pin_nopin.error.error | test("not created as an access that pins pages"))' \
  '[.p0, .p1, .p2, .p3] | map(.result.pin) == [0, 1, 2, 3]' \
  '.show1.result.access[0].pins | map([.pin, .iova, .length, .write]) == [[0,"0x100000",4096,false],[1,"0x101000",8192,true],[2,"0x200000",4096,false]]' \
  '.unmap1.result.released_pins | map([.access, .pin]) == [["acc",0],["acc",1]]' \
  '.show2.result.access[0].pins | map(.pin) == [2]' \
  '.unpin_p0.exit == 1 and .unpin_p0.error.errno == 2 and (.unpin_p0.error.error | test("has no pin 0"))' \
  '.same.result.released_pins == [] and (.show3.result.access[0].pins | map(.pin) == [2, 3])' \
  '.unpin_p2.exit == 0 and .unpin_p2.result.unpinned == 2' \
  '.replace.result.released_pins | map(.pin) == [3]' \
  '.replace.result.ioas == .b.result.id and .show4.result.access[0].pins == []' \
  '.unpin_p3.exit == 1 and .unpin_p3.error.errno == 2' \
  '.res.exit == 0 and .res.result.last == "0x40ffff"' \
  '.ranges.result.ranges | map([.start, .last]) == [["0x0","0x3fffff"],["0x410000","0xffffffffffffffff"]]' \
  '.ranges.result.selftest_reserved | map([.start, .last]) == [["0x400000","0x40ffff"]]' \
  '.show_b.result.ioas[0] | .selftest_reserved == [{"start":"0x400000","last":"0x40ffff","size":65536}] and (.ranges | length) == 2' \
  '.map_in.exit == 1 and .map_in.error.errno == 22 and (.map_in.error.error | test("overlaps reserved IOVA range 0x400000-0x40ffff .*reserved through the selftest"))' \
  '.map_below.exit == 0 and .map_above.exit == 0' \
  '.res_over.exit == 1 and .res_over.error.errno == 98 and (.res_over.error.error | test("overlaps mapping 0x410000-0x410fff"))'
# none of it made the kernel warn (a WARN_ON splat in the log)
assert_eq "$(dmesg | grep -c 'cut here' || true)" "$warnings" "kernel warnings during the batch"

# the text a user reads: the pins under the accesses, the released ones named
cat >/tmp/t.batch <<'EOF'
ioas create --name t
ioas map t --size 8k --iova 0x100000
access create --ioas t --needs-pin --name tacc
access pin tacc --iova 0x101000 --size 4k --write
access show
ioas unmap t --all
ioas reserve t --iova 0x400000 --size 64k
ioas show t
EOF
"$IOMMUCTL" batch /tmp/t.batch >/tmp/t.out
sed 's/^/  text| /' /tmp/t.out
grep -q '^pins of tacc:$' /tmp/t.out || fail "access show: no 'pins of tacc:'"
grep -Eq '^ +0 +0x101000 +0x101fff +4096 +yes$' /tmp/t.out || fail "access show: no row for pin 0"
grep -q '^the kernel had tacc release pin 0 (0x101000-0x101fff)$' /tmp/t.out ||
  fail "ioas unmap: the released pin is not named"
grep -A2 "^  reserved through the selftest ('ioas reserve'):$" /tmp/t.out |
  grep -Eq '^ +0x400000 +0x40ffff +65536$' || fail "ioas show: the reserved range is not listed"

if [ "$mapfile" = true ]; then
  check_jsons /tmp/r.json \
    '.mf.exit == 0 and .mf.result.memory == "file" and .mf.result.length == 8192' \
    '.rw_write.exit == 0'
  got=$(jq -r .rw_read.result.read /tmp/r.json)
  assert_eq "$got" "$want" "the file's bytes read through the access"
  assert_eq "$(od -An -tx1 -j 256 -N 8 /tmp/access-file | tr -d ' \n')" deadbeefcafef00d \
    "bytes written through the access, read back from the file"
  report "map-file: 8192 bytes read through the access are the file's; a write reached the file"
  exit 0
fi

# 6.12: map-file is refused naming 6.13; rw on a memfd, seen from outside
check_jsons /tmp/r.json \
  '.mf.exit == 3 and (.mf.error.error | test("6\\.13"))'
rm -f /tmp/access.fifo
mkfifo /tmp/access.fifo
"$IOMMUCTL" batch --results - </tmp/access.fifo >/tmp/f.json 2>/tmp/f.err &
pid=$!
exec 3>/tmp/access.fifo
echo "@c ioas create --name c" >&3
echo "@mem ioas map c --size 4k --iova 0x100000 --memfd" >&3
echo "@racc access create --ioas c --name racc" >&3
echo "@w access rw racc --iova 0x100010 --write-hex 0x5ca1ab1e" >&3
memfd=
bytes=
i=0
while [ $i -lt 100 ]; do
  for f in "/proc/$pid/fd"/*; do
    case $(readlink "$f" 2>/dev/null) in /memfd:iommuctl*) memfd=$f ;; esac
  done
  [ -z "$memfd" ] || bytes=$(od -An -tx1 -j 16 -N 4 "$memfd" | tr -d ' \n')
  [ "$bytes" = 5ca1ab1e ] && break
  sleep 0.1
  i=$((i + 1))
done
[ -n "$memfd" ] || fail "no memfd among the batch's fds (/proc/$pid/fd)"
assert_eq "$bytes" 5ca1ab1e "bytes written through the access, read from the memfd $memfd"
printf '\021\042\063\104' | dd of="$memfd" bs=1 seek=32 conv=notrunc 2>/dev/null
echo "@r access rw racc --iova 0x100020 --read 4" >&3
exec 3>&-
wait $pid || { cat /tmp/f.err; fail "the FIFO batch failed"; }
by_tag /tmp/f.json /tmp/fr.json 5
check_jsons /tmp/fr.json '.r.result.read == "11223344"'
report "memfd: a write through the access reached the memfd; bytes put in the memfd were read through it"
