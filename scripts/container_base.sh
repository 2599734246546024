#!/usr/bin/env bash
# A base image made from Debian's archive, for machines that reach Debian's packages but no container registry.
#   scripts/container_base.sh python    # bookworm with Debian's Python 3.11 (python3-venv, -pip, -dev)
# It is the PYTHON_IMAGE of the Dockerfile and, on such a machine, the BASE_IMAGE of docker/postgres (which adds
# Debian's postgresql-15 to it: one root file system to make instead of two, each taking minutes on a busy
# machine). Prints the image's tag (hg-advies-base/NAME:KEY) on stdout; progress goes to stderr. As root, with a running
# Docker engine and mmdebstrap (Debian's package). The KEY is a hash of everything the image is made of (this
# script, the package list, the mirror, the machine's extra CA certificates), so a second call with the same
# inputs reuses the image instead of building it again (HG_BASE_REBUILD=1 forces a new one).
#
# What a bare Debian root file system lacks next to the official images, and is added here: PATH and LANG in
# the image's configuration (`docker import` sets none), apt's cleaning of downloaded packages after every
# install (the docker-clean configuration of the official images), and the machine's extra CA certificates
# (Debian's location /usr/local/share/ca-certificates) for a machine whose HTTPS traffic is inspected: pip in
# the image build then trusts what the machine trusts.
set -euo pipefail

name="${1:-}"
case "$name" in
  python) packages="python3,python3-venv,python3-pip,python3-dev,python-is-python3,ca-certificates,passwd" ;;
  *) echo "usage: $0 python" >&2; exit 2 ;;
esac
suite=bookworm
mirror="${HG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${HG_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
docker="${DOCKER:-docker}"
path_env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

shopt -s nullglob
extra_ca=(/usr/local/share/ca-certificates/*.crt)
shopt -u nullglob

key=$( { cat "$0"; echo "$name $suite $mirror $security $packages"; \
         for f in "${extra_ca[@]}"; do echo "$f"; cat "$f"; done; } | sha256sum | cut -c1-16)
tag="hg-advies-base/$name:$key"

if [ "${HG_BASE_REBUILD:-0}" != 1 ] && "$docker" image inspect "$tag" >/dev/null 2>&1; then
  echo "container_base: $tag is cached" >&2
  echo "$tag"
  exit 0
fi

command -v mmdebstrap >/dev/null || {
  echo "container_base: mmdebstrap is missing (apt-get install mmdebstrap)" >&2; exit 1; }

work=$(mktemp -d /tmp/hg-advies-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ca"
for f in "${extra_ca[@]}"; do cp "$f" "$work/ca/"; done

# apt removes the packages it downloaded after every install, as in the official images.
cat >"$work/docker-clean" <<'HOOK'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
HOOK

start=$(date +%s)
# --variant=apt: Essential packages and apt, then the packages asked for (their Depends only, as the official
# images do). Documentation, manual pages and translations are left out (dpkg path-exclude, as in the slim
# images), copyright files kept.
# The hooks' $1 (the root file system) is expanded by mmdebstrap, not here.
# shellcheck disable=SC2016
# Debian's own tools first: mmdebstrap runs python3 (mmtarfilter) once per package, not through a shim.
PATH=/usr/sbin:/usr/bin:/sbin:/bin mmdebstrap --quiet --mode=root --variant=apt --format=tar \
  --include="$packages" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="cp -r $work/ca/. \"\$1/usr/local/share/ca-certificates/\"" \
  --customize-hook='chroot "$1" update-ca-certificates >/dev/null 2>&1 || true' \
  --customize-hook="cp $work/docker-clean \"\$1/etc/apt/apt.conf.d/docker-clean\"" \
  --customize-hook='rm -f "$1/etc/hostname" "$1/etc/resolv.conf"; : > "$1/etc/machine-id"' \
  "$suite" "$work/rootfs.tar" \
  "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security $suite-security main" >&2
echo "container_base: root file system of $name in $(( $(date +%s) - start )) s" >&2

"$docker" import \
  --change "ENV $path_env" \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --message "hg-advies base: Debian $suite with $packages" \
  "$work/rootfs.tar" "$tag" >/dev/null
echo "container_base: imported $tag in $(( $(date +%s) - start )) s" >&2
# Older keys of this base are not used again: removed (an image still in use by a container stays).
"$docker" image ls --format '{{.Repository}}:{{.Tag}}' "hg-advies-base/$name" | grep -vxF "$tag" \
  | xargs -r "$docker" image rm >/dev/null 2>&1 || true
echo "$tag"
