#!/bin/bash
# Builds the VM tier's test kernels: x86-64 Linux 6.12 (Debian's linux-source-6.12) or 7.3
# (Debian 13 backports' linux-source-7.3) from tinyconfig plus iommuctl-vm.config. Everything
# built in, no modules.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: tests/vm/kernel/build-kernel.sh OUT [6.12|7.3]
  Builds an x86-64 bzImage of Linux 6.12 (default; Debian's linux-source-6.12) or 7.3
  (linux-source-7.3 from trixie-backports, downloaded through a temporary package list: the
  machine's apt sources are left alone) from tinyconfig + iommuctl-vm.config beside this
  script, and writes it to OUT, its full .config to OUT.config. About 10 minutes on 2 cores.
  As root it installs what is missing with apt-get: flex bison bc libelf-dev libssl-dev
  xz-utils make gcc (and linux-source-6.12 for 6.12). Normally run through
  tests/vm/kernel-path.
USAGE
}

case ${1:-} in
  -h|--help) usage; exit 0 ;;
  ''|-*) usage >&2; exit 2 ;;
esac
out=$1 kver=${2:-6.12}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
frag=$here/iommuctl-vm.config
need=(flex bison bc libelf-dev libssl-dev xz-utils make gcc)
case $kver in
  6.12) need+=(linux-source-6.12) ;;
  7.3) ;;
  *) echo "build-kernel: kernel version $kver: 6.12 or 7.3" >&2; exit 2 ;;
esac

missing=()
for p in "${need[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-kernel: missing Debian packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/iommuctl-kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ "$kver" = 6.12 ]; then
  tarball=/usr/src/linux-source-6.12.tar.xz
else
  # the Debian mirror the machine already uses, with the trixie-backports suite, in a package
  # list of our own: apt-get download as root, nothing installed
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
             /etc/apt/sources.list.d/*.list 2>/dev/null |
           awk '/^(URIs:|deb) / && $2 !~ /security|^\[/ && $2 ~ /\/debian/ {print $2; exit}' || true)
  [ -n "$mirror" ] || { echo "build-kernel: no Debian mirror in the apt sources" >&2; exit 1; }
  mkdir -p "$work/apt/lists/partial"
  echo "deb $mirror trixie-backports main" >"$work/apt/sources.list"
  o=(-o Dir::Etc::SourceList="$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$work/apt/lists" -o APT::Architectures=amd64
     -o APT::Sandbox::User=root)
  apt-get "${o[@]}" update -qq
  (cd "$work" && apt-get "${o[@]}" download linux-source-7.3 >/dev/null)
  dpkg -x "$work"/linux-source-7.3_*.deb "$work/pkg"
  tarball=$work/pkg/usr/src/linux-source-7.3.tar.xz
fi
[ -f "$tarball" ] || { echo "build-kernel: $tarball missing" >&2; exit 1; }
tar -C "$work" -xf "$tarball"
cd "$work/linux-source-$kver"
# no ARCH: the default (x86) starts from the 32-bit tinyconfig and CONFIG_64BIT from the
# fragment switches to 64-bit, so olddefconfig gives the 64-bit-only options their defaults
# (5-level paging, VMAP_STACK, ...), as in the kernel the tier was developed with
make -s tinyconfig
scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
make -s olddefconfig
for o in IOMMUFD IOMMUFD_TEST VFIO_DEVICE_CDEV VFIO_PCI INTEL_IOMMU AMD_IOMMU DEVTMPFS_MOUNT \
         IGB SAMPLE_VFIO_MDEV_MTTY; do
  grep -q "^CONFIG_$o=y" .config || { echo "build-kernel: CONFIG_$o did not stick" >&2; exit 1; }
done
make -s -j"$(nproc)" bzImage
mkdir -p "$(dirname "$out")"
cp arch/x86/boot/bzImage "$out"
cp .config "$out.config"
echo "build-kernel: built $out ($(make -s kernelrelease))" >&2
