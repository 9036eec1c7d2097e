# Shared by bin/setup and bin/test (sourced).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo --preserve-env=DEVSPACES_CACHE,DEVSPACES_CLUSTER_STATE "$@"; fi
}

install_dependencies() {
  step "Installing missing system packages"
  as_root bash "$REPO/tests/cluster/lib/deps.sh"
}

build_all() {
  step "Building the daemon and CLI (Release)"
  dotnet build "$REPO/DevSpaces.sln" -c Release -nologo -clp:ErrorsOnly -v q
  if [[ -f "$REPO/package.json" ]] && grep -q '"compile"' "$REPO/package.json"; then
    step "Building the VS Code extension"
    (
      cd "$REPO"
      if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
        npm ci --no-audit --no-fund --loglevel=error
      fi
      npm run --silent compile
    )
    step "Packaging the VS Code extension with its daemon"
    DEVSPACES_VSIX="$(bash "$REPO/extension/package" | tail -n1)"
    export DEVSPACES_VSIX
  fi
}

# Brings the local cluster up and exports its kubeconfig for the tests and the CLI.
cluster_up() {
  step "Starting the local Kubernetes cluster"
  local out
  out="$(as_root bash "$REPO/tests/cluster/up" | tail -n1)"
  [[ "$out" == KUBECONFIG=* ]] || { echo "tests/cluster/up did not print KUBECONFIG=..." >&2; exit 1; }
  export DEVSPACES_TEST_KUBECONFIG="${out#KUBECONFIG=}"
}
