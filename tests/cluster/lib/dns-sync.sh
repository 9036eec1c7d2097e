#!/usr/bin/env bash
# Keeps the test cluster's DNS hosts file in step with its Services: watches them through the
# API server and rewrites the file, then asks dnsmasq to reload. Harness glue only.
# Usage: dns-sync.sh <kubeconfig> <hosts-file> <dnsmasq-pid-file>
set -uo pipefail
kubeconfig="$1" hosts="$2" dnsmasq_pid_file="$3"

# Rewrites the file from a full list and sets $version to that list's resourceVersion, so the watch
# starts exactly where the list ended (a Service created between two separate requests would be missed).
rewrite() {
  local list
  list="$(kubectl --kubeconfig "$kubeconfig" --request-timeout=20s get --raw /api/v1/services)" || return 1
  version="$(jq -r '.metadata.resourceVersion // empty' <<<"$list")"
  jq -r '.items[] | select(.spec.clusterIP != null and .spec.clusterIP != "None")
         | "\(.spec.clusterIP) \(.metadata.name).\(.metadata.namespace).svc.cluster.local \(.metadata.name).\(.metadata.namespace).svc"' \
     <<<"$list" > "$hosts.tmp" && mv "$hosts.tmp" "$hosts"
  local pid=""
  [[ -f "$dnsmasq_pid_file" ]] && read -r pid _ < "$dnsmasq_pid_file"
  [[ -n "$pid" ]] && kill -HUP "$pid" 2>/dev/null
  return 0
}

while true; do
  version=""
  if rewrite && [[ -n "$version" ]]; then
    # One JSON event per line; every event triggers a full rewrite (the list is small).
    kubectl --kubeconfig "$kubeconfig" get --raw "/api/v1/services?watch=1&resourceVersion=$version&timeoutSeconds=300" \
      | while read -r _; do rewrite; done
  else
    sleep 1
  fi
done
