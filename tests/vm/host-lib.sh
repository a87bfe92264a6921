# shellcheck shell=bash
# Host-side helpers shared by tests/vm/run and tests/vm/capture (sourced, after machines).

# vm_kernel: prints the kernel to boot (tests/vm/kernel-path) or fails with a clear message
vm_kernel() {
  local k
  if ! k=$("$VM_DIR/kernel-path"); then
    echo "vm: no test kernel: set IOMMUCTL_VM_KERNEL to a bzImage, or let tests/vm/kernel-path" \
         "build one (see tests/vm/README.md)" >&2
    return 1
  fi
  [ -f "$k" ] || { echo "vm: kernel $k does not exist" >&2; return 1; }
  printf '%s\n' "$k"
}

# vm_check_tools: fails naming the Debian packages that are missing
vm_check_tools() {
  local missing=() t
  for t in qemu-system-x86_64:qemu-system-x86 jq:jq cpio:cpio gzip:gzip base64:coreutils \
           md5sum:coreutils tar:tar; do
    command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
  done
  [ -x /bin/busybox ] || missing+=(busybox-static)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "vm: missing tools; install the Debian packages: ${missing[*]}" >&2
    return 1
  fi
}

# vm_boot NAME KERNEL INITRD DIR TIMEOUT: boots one machine; the console goes to
# DIR/console.log, the guest's channel (ttyS1) to DIR/channel.raw and then, without carriage
# returns, DIR/channel.txt. Sets VM_BOOT_STATUS to "guest powered off", "timed out after Ns"
# or "qemu exited N".
vm_boot() {
  local name=$1 kernel=$2 initrd=$3 dir=$4 timeout=$5 rc=0 t0 t1
  : >"$dir/console.log"; : >"$dir/channel.raw"
  vm_qemu_cmd "$name" "$kernel" "$initrd" "$dir/console.log" "$dir/channel.raw"
  echo "vm: boot $name: kernel $kernel, accel ${VM_ACCEL[1]}, timeout ${timeout}s"
  echo "vm: qemu: $(vm_shell_words "${VM_QEMU_CMD[@]}")"
  t0=$(date +%s)
  timeout -k 10 "$timeout" "${VM_QEMU_CMD[@]}" </dev/null >"$dir/qemu.out" 2>&1 || rc=$?
  t1=$(date +%s)
  tr -d '\r' <"$dir/channel.raw" >"$dir/channel.txt"
  case $rc in
    0) VM_BOOT_STATUS="guest powered off" ;;
    124|137) VM_BOOT_STATUS="timed out after ${timeout}s" ;;
    *) VM_BOOT_STATUS="qemu exited $rc" ;;
  esac
  echo "vm: $name: guest stopped after $((t1 - t0))s ($VM_BOOT_STATUS)"
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
