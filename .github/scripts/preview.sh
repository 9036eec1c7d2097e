#!/usr/bin/env bash
# The commands the DevSpaces preview workflow runs, kept here so the workflow and its test run the same thing.
#   preview.sh up     create or update the pull request's preview, write name/url/reach to $GITHUB_OUTPUT
#   preview.sh down   remove it (a preview already gone is fine)
# Environment (the workflow's step env):
#   DEVSPACES               the devspaces executable
#   DEVSPACES_KUBECONFIG    the kubeconfig's content (a secret): written to a private file, removed on exit
#   PREVIEW_PARENT          the root space the preview is a child of
#   PREVIEW_NAME            the preview's name (the workflow passes pr-<number>)
#   PREVIEW_SERVICES        folders of the services to deploy, one a line (relative to the working directory)
#   PREVIEW_IMAGES          <service>=<image> lines: deploy these images instead of building
#   PREVIEW_BUILD_ARGS      NAME=value lines: build arguments
#   PR_NUMBER, HEAD_SHA     the pull request's number and commit
#   GITHUB_OUTPUT           where step outputs go; RUNNER_TEMP: a private temporary folder
set -euo pipefail

command="${1:-}"
if [[ "$command" != up && "$command" != down ]]; then
  echo "usage: preview.sh up|down" >&2
  exit 2
fi

: "${DEVSPACES:?DEVSPACES must name the devspaces executable}"
: "${DEVSPACES_KUBECONFIG:?DEVSPACES_KUBECONFIG must hold the kubeconfig (the workflow passes secrets.kubeconfig)}"
: "${PREVIEW_NAME:?PREVIEW_NAME must name the preview}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT must name the step output file}"

KUBECONFIG="$(mktemp "${RUNNER_TEMP:-/tmp}/devspaces-kubeconfig.XXXXXX")"
export KUBECONFIG
trap 'rm -f "$KUBECONFIG"' EXIT
chmod 600 "$KUBECONFIG"
printf '%s\n' "$DEVSPACES_KUBECONFIG" > "$KUBECONFIG"

if [[ "$command" == down ]]; then
  "$DEVSPACES" preview down --name "$PREVIEW_NAME"
  echo "name=$PREVIEW_NAME" >> "$GITHUB_OUTPUT"
  exit 0
fi

: "${PREVIEW_PARENT:?PREVIEW_PARENT must name the root space}"
args=(preview up --name "$PREVIEW_NAME" --parent "$PREVIEW_PARENT" --output json)
[[ -n "${PR_NUMBER:-}" ]] && args+=(--pr "$PR_NUMBER")
[[ -n "${HEAD_SHA:-}" ]] && args+=(--commit "$HEAD_SHA")
while IFS= read -r line; do [[ -n "$line" ]] && args+=(--service "$line"); done <<< "${PREVIEW_SERVICES:-}"
while IFS= read -r line; do [[ -n "$line" ]] && args+=(--image "$line"); done <<< "${PREVIEW_IMAGES:-}"
while IFS= read -r line; do [[ -n "$line" ]] && args+=(--build-arg "$line"); done <<< "${PREVIEW_BUILD_ARGS:-}"

result="$("$DEVSPACES" "${args[@]}")"
printf '%s\n' "$result"
{
  echo "name=$(jq -r '.name' <<< "$result")"
  echo "url=$(jq -r '.url // ""' <<< "$result")"
  echo "reach=$(jq -r '.reach // ""' <<< "$result")"
} >> "$GITHUB_OUTPUT"
