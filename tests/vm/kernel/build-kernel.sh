#!/bin/bash
# Builds the VM tier's test kernels: Linux 6.12 (Debian's linux-source-6.12) or 7.3 (Debian 13
# backports' linux-source-7.3) from tinyconfig plus iommuctl-vm.config (x86-64) or
# iommuctl-vm-arm64.config (arm64, cross-compiled). Everything built in, no modules.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: tests/vm/kernel/build-kernel.sh OUT [6.12|7.3] [x86_64|arm64]
  Builds Linux 6.12 (default; Debian's linux-source-6.12) or 7.3 (linux-source-7.3 from
  trixie-backports, downloaded through a temporary package list: the machine's apt sources
  are left alone) from tinyconfig + the fragment beside this script: an x86-64 bzImage
  (default; iommuctl-vm.config) or an arm64 Image for QEMU's virt machine
  (iommuctl-vm-arm64.config, cross-compiled with Debian's gcc-aarch64-linux-gnu). Writes it
  to OUT, its full .config to OUT.config. About 10 minutes on 2 cores.
  As root it installs what is missing with apt-get: flex bison bc libelf-dev libssl-dev
  xz-utils make gcc (gcc-aarch64-linux-gnu for arm64; linux-source-6.12 for 6.12). Normally
  run through tests/vm/kernel-path.
USAGE
}

case ${1:-} in
  -h|--help) usage; exit 0 ;;
  ''|-*) usage >&2; exit 2 ;;
esac
out=$1 kver=${2:-6.12} arch=${3:-x86_64}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
need=(flex bison bc libelf-dev libssl-dev xz-utils make gcc)
# (checked after olddefconfig: options a typo or a missing dependency would drop silently)
case $arch in
  x86_64)
    frag=$here/iommuctl-vm.config target=bzImage image=arch/x86/boot/bzImage
    want=(IOMMUFD IOMMUFD_TEST VFIO_DEVICE_CDEV VFIO_PCI INTEL_IOMMU AMD_IOMMU DEVTMPFS_MOUNT
          IGB SAMPLE_VFIO_MDEV_MTTY) ;;
  arm64)
    frag=$here/iommuctl-vm-arm64.config target=Image image=arch/arm64/boot/Image
    want=(IOMMUFD IOMMUFD_TEST VFIO_DEVICE_CDEV VFIO_PCI ARM_SMMU_V3 ARM_GIC_V3_ITS KVM
          DEVTMPFS_MOUNT)
    # (the SMMUv3 iommufd nesting option exists from Linux 6.14)
    [ "$kver" = 6.12 ] || want+=(ARM_SMMU_V3_IOMMUFD)
    need+=(gcc-aarch64-linux-gnu)
    export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- ;;
  *) echo "build-kernel: architecture $arch: x86_64 or arm64" >&2; exit 2 ;;
esac
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
# x86 (no ARCH): the default starts from the 32-bit tinyconfig and CONFIG_64BIT from the
# fragment switches to 64-bit, so olddefconfig gives the 64-bit-only options their defaults
# (5-level paging, VMAP_STACK, ...), as in the kernel the tier was developed with
make -s tinyconfig
scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
make -s olddefconfig
for o in "${want[@]}"; do
  grep -q "^CONFIG_$o=y" .config || { echo "build-kernel: CONFIG_$o did not stick" >&2; exit 1; }
done
make -s -j"$(nproc)" "$target"
mkdir -p "$(dirname "$out")"
cp "$image" "$out"
cp .config "$out.config"
echo "build-kernel: built $out ($(make -s kernelrelease))" >&2
