# Local base images of the test cluster (sourced by `up`). No registry is reachable, so the
# images come from debootstrap and from the toolchains already on this machine.

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_pause_image() {
  image_exists "$PAUSE_IMAGE" && return 0
  say "building $PAUSE_IMAGE"
  local ctx; ctx="$(mktemp -d)"
  cp "$K8S_BIN/pause" "$ctx/pause"
  tar -C "$ctx" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  rm -rf "$ctx"
}

build_debian_image() {
  local image="$LOCAL_IMAGE_PREFIX/debian:bookworm"
  image_exists "$image" && return 0
  local tarball="$CACHE/images/debian-bookworm-minbase.tar"
  if [[ ! -f "$tarball" ]]; then
    # From the mirror apt uses, through apt's proxy if it has one.
    local mirror proxy=""
    mirror="$(debian_mirror bookworm || debian_mirror)" \
      || die "apt names no Debian mirror to build the base image from; add this machine's Debian mirror to /etc/apt/sources.list.d/"
    eval "$(apt-config shell proxy Acquire::http::Proxy)"
    say "creating a Debian minbase root file system from $mirror (debootstrap, a few minutes)"
    local root; root="$(mktemp -d)"
    http_proxy="${http_proxy:-$proxy}" debootstrap --variant=minbase \
      --include=ca-certificates,libicu72,libssl3,zlib1g,libstdc++6,libgcc-s1,tzdata \
      bookworm "$root" "$mirror" >"$LOGS/debootstrap.log" 2>&1 \
      || { rm -rf "$root"; die "debootstrap from $mirror failed; see $LOGS/debootstrap.log"; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$CACHE/images"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  say "importing $image"
  docker import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' "$tarball" "$image" >/dev/null
}

# build_derived_image IMAGE CONTEXT_DIR : Dockerfile from stdin, context prepared by the caller.
build_derived_image() {
  local image="$1" ctx="$2"
  cat > "$ctx/Dockerfile"
  say "building $image"
  DOCKER_BUILDKIT=0 docker build -t "$image" "$ctx" >"$LOGS/image-build.log" 2>&1 \
    || { tail -20 "$LOGS/image-build.log" >&2; die "building $image failed (log: $LOGS/image-build.log)"; }
  rm -rf "$ctx"
}

build_toolchain_images() {
  local base="$LOCAL_IMAGE_PREFIX/debian:bookworm" ctx
  local dotnet_root; dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"

  if ! image_exists "$LOCAL_IMAGE_PREFIX/dotnet-sdk:10.0"; then
    ctx="$(mktemp -d)"; cp -a "$dotnet_root" "$ctx/dotnet"
    build_derived_image "$LOCAL_IMAGE_PREFIX/dotnet-sdk:10.0" "$ctx" <<DF
FROM $base
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_ROOT=/usr/share/dotnet
DF
  fi

  if ! image_exists "$LOCAL_IMAGE_PREFIX/dotnet-aspnet:10.0"; then
    ctx="$(mktemp -d)"; mkdir -p "$ctx/dotnet"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$ctx/dotnet/"
    build_derived_image "$LOCAL_IMAGE_PREFIX/dotnet-aspnet:10.0" "$ctx" <<DF
FROM $base
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet ASPNETCORE_HTTP_PORTS=8080
DF
  fi

  if ! image_exists "$LOCAL_IMAGE_PREFIX/node:20"; then
    ctx="$(mktemp -d)"; cp "$(readlink -f "$(command -v node)")" "$ctx/node"
    build_derived_image "$LOCAL_IMAGE_PREFIX/node:20" "$ctx" <<DF
FROM $base
COPY node /usr/local/bin/node
DF
  fi

  if ! image_exists "$LOCAL_IMAGE_PREFIX/java:17"; then
    local jdk; jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    # Debian's JDK links parts of itself to /etc: copy the targets, drop dangling links.
    ctx="$(mktemp -d)"; cp -a "$jdk" "$ctx/jdk"
    local link target
    while IFS= read -r -d '' link; do
      target="$(readlink -f "$link" || true)"
      rm -f "$link"
      if [[ -n "$target" && -e "$target" ]]; then cp -rL "$target" "$link"; fi
    done < <(find "$ctx/jdk" -type l -print0)
    build_derived_image "$LOCAL_IMAGE_PREFIX/java:17" "$ctx" <<DF
FROM $base
COPY jdk /opt/jdk
ENV JAVA_HOME=/opt/jdk PATH=/opt/jdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DF
  fi
}
