# shellcheck shell=bash
# Host-side helpers shared by tests/vm/run and tests/vm/capture (sourced, after machines).

# vm_kernel_for ARCH [VERSION]: prints the kernel to boot for guests of ARCH (x86_64 or arm64),
# Linux 6.12 (default) or 7.3 (tests/vm/kernel-path --arch ARCH --version VERSION) or fails
# with a clear message
vm_kernel_for() {
  local k arch=$1 ver=${2:-6.12} var
  case $arch:$ver in
    x86_64:6.12) var=IOMMUCTL_VM_KERNEL ;;
    x86_64:7.3) var=IOMMUCTL_VM_KERNEL_NEXT ;;
    arm64:6.12) var=IOMMUCTL_VM_KERNEL_ARM64 ;;
    arm64:7.3) var=IOMMUCTL_VM_KERNEL_ARM64_NEXT ;;
    *) echo "vm: no Linux $ver kernel for architecture '$arch'" >&2; return 1 ;;
  esac
  if ! k=$("$VM_DIR/kernel-path" --arch "$arch" --version "$ver"); then
    echo "vm: no $arch Linux $ver test kernel: set $var, or let tests/vm/kernel-path" \
         "build one (see tests/vm/README.md)" >&2
    return 1
  fi
  [ -f "$k" ] || { echo "vm: kernel $k does not exist" >&2; return 1; }
  printf '%s\n' "$k"
}

# vm_kernel [VERSION]: prints the x86-64 kernel to boot (vm_kernel_for x86_64 VERSION)
vm_kernel() { vm_kernel_for x86_64 "${1:-6.12}"; }

# vm_check_tools [ARCH...]: fails naming the Debian packages that are missing for guests of
# these architectures (default x86_64). arm64 guests need qemu-system-aarch64 and, unless
# IOMMUCTL_VM_BUSYBOX_ARM64 is set or it is cached already, apt-get and dpkg-deb to fetch an
# arm64 busybox (vm_busybox_arm64); no jq.
vm_check_tools() {
  local missing=() t tools=(cpio:cpio gzip:gzip base64:coreutils md5sum:coreutils tar:tar) a
  [ $# -gt 0 ] || set -- x86_64
  for a in "$@"; do
    case $a in
      x86_64) tools+=(qemu-system-x86_64:qemu-system-x86 jq:jq)
              [ -x /bin/busybox ] || missing+=(busybox-static) ;;
      arm64) tools+=(qemu-system-aarch64:qemu-system-arm)
             if [ -z "${IOMMUCTL_VM_BUSYBOX_ARM64:-}" ] && [ ! -f "$(vm_busybox_arm64_cache)" ]; then
               tools+=(apt-get:apt dpkg-deb:dpkg)
             fi ;;
    esac
  done
  for t in "${tools[@]}"; do
    command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "vm: missing tools; install the Debian packages: ${missing[*]}" >&2
    return 1
  fi
}

# vm_busybox_arm64_cache: where vm_busybox_arm64 keeps the busybox it fetched
vm_busybox_arm64_cache() {
  printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/iommuctl/busybox-static-arm64/bin/busybox"
}

# vm_busybox_arm64: prints the path of a static arm64 busybox: $IOMMUCTL_VM_BUSYBOX_ARM64 if
# set, else the cached one, fetched on first use: Debian's busybox-static:arm64 with
# `apt-get download` through a temporary apt state (the machine's own package sources, but
# package lists, cache and architecture of its own in a temporary directory: no
# `dpkg --add-architecture`, nothing on the machine's apt setup changes; no root needed),
# unpacked with dpkg-deb -x.
vm_busybox_arm64() {
  local cache tmp o deb
  if [ -n "${IOMMUCTL_VM_BUSYBOX_ARM64:-}" ]; then
    [ -f "$IOMMUCTL_VM_BUSYBOX_ARM64" ] ||
      { echo "vm: IOMMUCTL_VM_BUSYBOX_ARM64=$IOMMUCTL_VM_BUSYBOX_ARM64: no such file" >&2; return 1; }
    printf '%s\n' "$IOMMUCTL_VM_BUSYBOX_ARM64"; return 0
  fi
  cache=$(vm_busybox_arm64_cache)
  if [ ! -f "$cache" ]; then
    echo "vm: fetching busybox-static:arm64 (apt-get download, temporary apt state) into ${cache%/bin/busybox}" >&2
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/iommuctl-busybox.XXXXXX")
    mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/deb"
    o=(-o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" -o APT::Architecture=arm64
       -o APT::Architectures=arm64 -o Debug::NoLocking=1)
    [ "$(id -u)" != 0 ] || o+=(-o APT::Sandbox::User=root)
    # (update may complain about third-party sources without arm64; the download decides)
    apt-get "${o[@]}" -qq update >"$tmp/update.log" 2>&1 || true
    if ! (cd "$tmp/deb" && apt-get "${o[@]}" -qq download busybox-static:arm64) >"$tmp/download.log" 2>&1; then
      echo "vm: could not download busybox-static:arm64:" >&2
      sed 's/^/    /' "$tmp/update.log" "$tmp/download.log" | tail -n 20 >&2
      rm -rf "$tmp"; return 1
    fi
    deb=$(ls "$tmp"/deb/busybox-static_*_arm64.deb)
    mkdir -p "${cache%/bin/busybox}"
    dpkg-deb -x "$deb" "$tmp/x"
    [ -f "$tmp/x/bin/busybox" ] || { echo "vm: $deb holds no bin/busybox" >&2; rm -rf "$tmp"; return 1; }
    dpkg-deb -f "$deb" Package Version Architecture >"${cache%/bin/busybox}/PACKAGE"
    mkdir -p "${cache%/busybox}"
    cp "$tmp/x/bin/busybox" "$cache.tmp" && mv "$cache.tmp" "$cache"
    rm -rf "$tmp"
  fi
  printf '%s\n' "$cache"
}

# vm_boot NAME KERNEL INITRD DIR TIMEOUT: boots one machine; the console goes to
# DIR/console.log, the guest's channel (ttyS1) to DIR/channel.raw and then, without carriage
# returns, DIR/channel.txt. For a machine whose channel is its console (MACHINE_CHANNEL=console)
# channel.raw is a copy of console.log (vm_parse_channel skips the lines outside frames). Sets
# VM_BOOT_STATUS to "guest powered off", "timed out after Ns" or "qemu exited N".
# QEMU's human monitor (HMP) is on the FIFOs DIR/qemu-monitor.in and .out: a guest asks for a
# monitor command with a line "@@QEMU COMMAND" on its channel (guest-lib.sh qemu_monitor), which
# vm_monitor_relay passes on while the guest runs (device_add and device_del only); the
# requests and QEMU's answers are shown after the boot.
vm_boot() {
  local name=$1 kernel=$2 initrd=$3 dir=$4 timeout=$5 rc=0 t0 t1 qpid relay reader watch
  : >"$dir/console.log"; : >"$dir/channel.raw"; : >"$dir/qemu-monitor.requests"
  vm_qemu_cmd "$name" "$kernel" "$initrd" "$dir/console.log" "$dir/channel.raw"
  rm -f "$dir/qemu-monitor.in" "$dir/qemu-monitor.out"
  mkfifo "$dir/qemu-monitor.in" "$dir/qemu-monitor.out"
  VM_QEMU_CMD+=(-chardev "pipe,id=hmp,path=${dir//,/,,}/qemu-monitor" -monitor chardev:hmp)
  echo "vm: boot $name: kernel $kernel, accel $VM_BOOT_ACCEL, timeout ${timeout}s"
  echo "vm: qemu: $(vm_shell_words "${VM_QEMU_CMD[@]}")"
  t0=$(date +%s)
  # QEMU's answers (opened read-write: never blocks, whether QEMU started or not)
  cat 0<>"$dir/qemu-monitor.out" >"$dir/qemu-monitor.log" &
  reader=$!
  timeout -k 10 "$timeout" "${VM_QEMU_CMD[@]}" </dev/null >"$dir/qemu.out" 2>&1 &
  qpid=$!
  vm_monitor_relay "$dir" "$qpid" &
  relay=$!
  vm_boot_watch "$dir" "$qpid" "${IOMMUCTL_VM_BOOT_WATCH:-60}" &
  watch=$!
  wait "$qpid" || rc=$?
  t1=$(date +%s)
  kill "$watch" 2>/dev/null || true; wait "$watch" 2>/dev/null || true
  wait "$relay" 2>/dev/null || true
  kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null || true
  [ "$MACHINE_CHANNEL" != console ] || cp "$dir/console.log" "$dir/channel.raw"
  tr -d '\r' <"$dir/channel.raw" >"$dir/channel.txt"
  VM_BOOT_HUNG=0
  case $rc in
    0) VM_BOOT_STATUS="guest powered off" ;;
    124|137) VM_BOOT_STATUS="timed out after ${timeout}s" ;;
    *) VM_BOOT_STATUS="qemu exited $rc" ;;
  esac
  if [ -f "$dir/boot-hung" ]; then
    VM_BOOT_HUNG=1 VM_BOOT_STATUS="hung: no word from the guest $(cat "$dir/boot-hung") s after QEMU started"
    rm -f "$dir/boot-hung"
  fi
  echo "vm: $name: guest stopped after $((t1 - t0))s ($VM_BOOT_STATUS)"
  if [ -s "$dir/qemu-monitor.requests" ]; then
    sed "s/^/vm: $name: /" "$dir/qemu-monitor.requests"
    # QEMU's answers: the lines that are not its banner or a prompt with the command's echo
    tr -d '\r' <"$dir/qemu-monitor.log" | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' |
      grep -v -e '^(qemu)' -e '^QEMU .* monitor - type' -e '^[[:space:]]*$' |
      sed "s/^/vm: $name: qemu monitor said: /" || true
  fi
}

# vm_boot_watch DIR PID SECS: stops QEMU (PID, the timeout(1) that runs it) when the guest's
# first frame ("@@VM BEGIN", from guest-run) is not on its channel SECS seconds after the
# start, and leaves DIR/boot-hung saying so (vm_boot sets VM_BOOT_HUNG)
vm_boot_watch() {
  local dir=$1 pid=$2 secs=$3 src i
  src=$dir/channel.raw
  [ "$MACHINE_CHANNEL" != console ] || src=$dir/console.log
  for ((i = 0; i < secs; i++)); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || return 0
    ! grep -q '@@VM BEGIN' "$src" 2>/dev/null || return 0
  done
  echo "$secs" >"$dir/boot-hung"
  kill -TERM "$pid" 2>/dev/null || true
}

# vm_monitor_relay DIR PID: while QEMU (PID) runs, passes the guest's "@@QEMU COMMAND" lines
# from its channel (DIR/channel.raw, or DIR/console.log for a console channel) to QEMU's human
# monitor (DIR/qemu-monitor.in). Only "device_del ID" and "device_add DRIVER,KEY=VALUE,..."
# with plain words pass; every request and refusal goes to DIR/qemu-monitor.requests. No
# answer goes back to the guest: it watches for the uevent the command causes.
vm_monitor_relay() {
  local dir=$1 pid=$2 src line cmd
  src=$dir/channel.raw
  [ "$MACHINE_CHANNEL" != console ] || src=$dir/console.log
  exec 5<>"$dir/qemu-monitor.in"
  tail -n +1 -F -s 0.2 --pid="$pid" "$src" 2>/dev/null | while IFS= read -r line; do
    case $line in
      *"@@QEMU "*) ;;
      *) continue ;;
    esac
    cmd=${line#*@@QEMU }
    cmd=${cmd%$'\r'}
    if [[ $cmd =~ ^device_(del|add)\ [A-Za-z0-9_.,=:-]+$ ]]; then
      printf '%s\n' "$cmd" >&5
      echo "guest asked the QEMU monitor: $cmd" >>"$dir/qemu-monitor.requests"
    else
      echo "guest asked the QEMU monitor for '$cmd': refused (only device_add, device_del)" \
        >>"$dir/qemu-monitor.requests"
    fi
  done
  exec 5>&-
}

# vm_shell_words ARG...: the arguments as one copy-pastable shell line, quoting only where needed
vm_shell_words() {
  local a out=""
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./,=:+@%-]+$ ]]; then out+=" $a"
    else out+=" '${a//\'/\'\\\'\'}'"; fi
  done
  printf '%s\n' "${out# }"
}

# vm_console_tail DIR [N]: the last N (40) lines of the console log and QEMU's own output,
# indented
vm_console_tail() {
  local dir=$1 n=${2:-40}
  echo "    --- console (last $n lines of $dir/console.log):"
  # without the firmware's terminal escapes and blank lines
  tr -d '\r' <"$dir/console.log" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[a-z]//g' |
    { grep -v '^[[:space:]]*$' || true; } | tail -n "$n" | sed 's/^/    | /'
  if [ -s "$dir/qemu.out" ]; then
    echo "    --- qemu:"
    tail -n 10 "$dir/qemu.out" | sed 's/^/    | /'
  fi
}

# vm_parse_channel FILE OUTDIR: splits the guest's framed channel. Writes
#   OUTDIR/scenarios      "name rc secs" per finished scenario, "name - ?" for one that began only
#   OUTDIR/s/NAME.out     each scenario's output (decoded)
#   OUTDIR/files          "path size md5 ok|bad" per file sent
#   OUTDIR/f/PATH         each file sent (decoded)
#   OUTDIR/state          "begin" (VM BEGIN seen), "end" (VM END seen) or nothing
#   OUTDIR/capture-rc     the guest capture's exit status (capture mode)
vm_parse_channel() {
  local in=$1 out=$2 line cur="" curfile="" kind="" size md5 name rc secs
  mkdir -p "$out/s" "$out/f"
  : >"$out/scenarios"; : >"$out/files"; : >"$out/state"
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "@@VM BEGIN "*) echo begin >"$out/state" ;;
      "@@VM END") echo end >"$out/state" ;;
      "@@SCENARIO BEGIN "*)
        cur=${line#@@SCENARIO BEGIN }; kind=s; : >"$out/s/$cur.b64" ;;
      "@@SCENARIO END "*)
        read -r name rc secs <<<"${line#@@SCENARIO END }"
        vm_b64_decode "$out/s/$name.b64" "$out/s/$name.out"
        echo "$name $rc ${secs:-?}" >>"$out/scenarios"; cur=""; kind="" ;;
      "@@FILE BEGIN "*)
        read -r curfile size md5 <<<"${line#@@FILE BEGIN }"
        kind=f; mkdir -p "$(dirname "$out/f/$curfile")"; : >"$out/f/$curfile.b64" ;;
      "@@FILE END "*)
        vm_b64_decode "$out/f/$curfile.b64" "$out/f/$curfile"
        if [ "$(wc -c <"$out/f/$curfile")" -eq "$size" ] &&
           [ "$(md5sum <"$out/f/$curfile" | cut -d' ' -f1)" = "$md5" ]; then
          echo "$curfile $size $md5 ok" >>"$out/files"
        else
          echo "$curfile $size $md5 bad" >>"$out/files"
        fi
        curfile=""; kind="" ;;
      "@@CAPTURE RC "*) echo "${line#@@CAPTURE RC }" >"$out/capture-rc" ;;
      "@@"*) ;;
      *)
        # (only base64 lines: on a machine whose channel is the console, guest-run's own
        #  messages and stray console output share it, and their letters would decode)
        [[ $line =~ ^[A-Za-z0-9+/]+=?=?$ ]] || continue
        case $kind in
          s) printf '%s\n' "$line" >>"$out/s/$cur.b64" ;;
          f) printf '%s\n' "$line" >>"$out/f/$curfile.b64" ;;
        esac ;;
    esac
  done <"$in"
  # a scenario that began but never ended (guest died or hung in it)
  if [ "$kind" = s ] && [ -n "$cur" ]; then
    vm_b64_decode "$out/s/$cur.b64" "$out/s/$cur.out"
    echo "$cur - ?" >>"$out/scenarios"
  fi
}

# vm_b64_decode IN OUT: decodes what is there (a cut-off stream decodes as far as it goes)
vm_b64_decode() {
  base64 -d -i <"$1" >"$2" 2>/dev/null || true
  rm -f "$1"
}
