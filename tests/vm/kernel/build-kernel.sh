#!/bin/bash
# Builds the VM tier's test kernel: x86-64 Linux 6.12 (Debian's linux-source-6.12) from
# tinyconfig plus iommuctl-vm.config. Everything built in, no modules.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: tests/vm/kernel/build-kernel.sh OUT
  Builds an x86-64 bzImage from Debian's linux-source-6.12 (tinyconfig + iommuctl-vm.config
  beside this script) and writes it to OUT, its full .config to OUT.config. About 10 minutes
  on 2 cores. As root it installs what is missing with apt-get: linux-source-6.12 flex bison
  bc libelf-dev libssl-dev xz-utils make gcc. Normally run through tests/vm/kernel-path.
USAGE
}

case ${1:-} in
  -h|--help) usage; exit 0 ;;
  ''|-*) usage >&2; exit 2 ;;
esac
out=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
frag=$here/iommuctl-vm.config
tarball=/usr/src/linux-source-6.12.tar.xz
need=(linux-source-6.12 flex bison bc libelf-dev libssl-dev xz-utils make gcc)

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
[ -f "$tarball" ] || { echo "build-kernel: $tarball missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/iommuctl-kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$tarball"
cd "$work/linux-source-6.12"
# no ARCH: the default (x86) starts from the 32-bit tinyconfig and CONFIG_64BIT from the
# fragment switches to 64-bit, so olddefconfig gives the 64-bit-only options their defaults
# (5-level paging, VMAP_STACK, ...), as in the kernel the tier was developed with
make -s tinyconfig
scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
make -s olddefconfig
for o in IOMMUFD IOMMUFD_TEST VFIO_DEVICE_CDEV VFIO_PCI INTEL_IOMMU AMD_IOMMU DEVTMPFS_MOUNT; do
  grep -q "^CONFIG_$o=y" .config || { echo "build-kernel: CONFIG_$o did not stick" >&2; exit 1; }
done
make -s -j"$(nproc)" bzImage
mkdir -p "$(dirname "$out")"
cp arch/x86/boot/bzImage "$out"
cp .config "$out.config"
echo "build-kernel: built $out ($(make -s kernelrelease))" >&2
