#!/usr/bin/env bash
# Builds the Kubernetes server binaries from Debian's source package and caches them,
# keyed by the source package version, outside the repository.
# Usage: build-kubernetes.sh <cache-dir>   (prints the directory holding the binaries)
set -euo pipefail

cache="${1:?cache dir}"
components=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet)

mkdir -p "$cache/src"
if ! ls "$cache"/src/kubernetes_*.dsc >/dev/null 2>&1; then
  echo "downloading Debian's kubernetes source package" >&2
  (cd "$cache/src" && apt-get source --download-only kubernetes >&2)
fi
dsc="$(ls "$cache"/src/kubernetes_*.dsc | head -n1)"
version="$(basename "$dsc" .dsc)"; version="${version#kubernetes_}"
bin="$cache/kubernetes/$version/bin"

complete=1
for c in "${components[@]}"; do [[ -x "$bin/$c" ]] || complete=0; done
if [[ $complete == 1 ]]; then echo "$bin"; exit 0; fi

work="$cache/build/$version"
rm -rf "$work"; mkdir -p "$work"
echo "building Kubernetes $version from source (about 6 minutes on 2 cores; cached afterwards)" >&2
tar xzf "$cache"/src/kubernetes_*.orig.tar.gz -C "$work"
tree="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n1)"
tar xJf "$cache"/src/kubernetes_*.debian.tar.xz -C "$tree"
if [[ -f "$tree/debian/patches/series" ]]; then
  while read -r p; do
    [[ -z "$p" || "$p" == \#* ]] && continue
    patch -d "$tree" -p1 -s < "$tree/debian/patches/$p" >&2
  done < "$tree/debian/patches/series"
fi

whats=""
for c in "${components[@]}"; do whats+="cmd/$c "; done
# The Makefile generates the OpenAPI code before compiling; plain `go build` does not.
if ! (cd "$tree" && GOFLAGS=-mod=vendor GO111MODULE=on KUBE_GIT_VERSION="v1.20.2" \
   make WHAT="${whats% }" >&2); then
  echo "error: building Kubernetes failed (output above; the tree is kept in $work)." \
       "Check free disk space ('df -h $cache') and that golang-go is installed, then run tests/cluster/up again." >&2
  exit 1
fi

mkdir -p "$bin.tmp"
for c in "${components[@]}"; do cp "$tree/_output/bin/$c" "$bin.tmp/"; done
# The pause container's program, built statically so it runs from an empty image.
gcc -Os -static -o "$bin.tmp/pause" "$tree/build/pause/linux/pause.c" >&2
rm -rf "$bin"; mv "$bin.tmp" "$bin"
rm -rf "$work"
echo "$bin"
