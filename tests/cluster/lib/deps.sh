#!/usr/bin/env bash
# Installs the Debian packages the local cluster, the sample app and the build need, only those missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_root

# command → Debian package that provides it
declare -A wanted=(
  [go]=golang-go [etcd]=etcd-server [dockerd]=docker.io [rsync]=rsync [jq]=jq
  [conntrack]=conntrack [socat]=socat [iptables]=iptables [dnsmasq]=dnsmasq-base
  [debootstrap]=debootstrap [openssl]=openssl [gcc]=gcc [make]=make [patch]=patch
  [ip]=iproute2 [javac]=openjdk-17-jdk-headless [kubectl]=kubernetes-client
  [docker-registry]=docker-registry [curl]=curl [node]=nodejs
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
# The static pause binary needs the C library's static archive.
[[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || missing+=(libc6-dev)
# The in-container helper is compiled with NativeAOT, which links against zlib (gcc is the linker).
[[ -f /usr/lib/x86_64-linux-gnu/libz.so ]] || missing+=(zlib1g-dev)

if (( ${#missing[@]} )); then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# `apt-get source` needs a deb-src entry for the release this machine runs.
codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
if ! apt-get indextargets --no-release-info --format '$(CREATED_BY)' "Release: $codename" 2>/dev/null | grep -q '^Sources$'; then
  eval "$(apt-config shell parts Dir::Etc::sourceparts/d)"
  rm -f "$parts/devspaces-src.sources" "$parts/devspaces-src.list"
  written="$(write_deb_src_entry "$codename" "${parts%/}")" \
    || die "apt has no source of Debian $codename main; add this machine's Debian mirror to $parts and run apt-get update"
  say "added $written for $codename, like the entry of its binary packages"
  apt-get update -q >&2
fi
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is missing: install it (https://dot.net) so that 'dotnet --version' prints 10.x"
