#!/usr/bin/env bash
# Lets a pod reach itself through its own Service's ClusterIP ("hairpin" traffic), as conformant clusters do: the
# pods sit on the Docker engine's bridge, which sends a frame back out of the port it came in on only when that
# port's hairpin mode is on. The kubelet does this for its own network plugins, not for the Docker bridge, so this
# loop turns it on for every port of the bridge, and again whenever a port joins it. Harness glue only.
# Usage: hairpin.sh <bridge>
set -uo pipefail
bridge="$1"

enable_all() {
  local mode
  for mode in /sys/class/net/"$bridge"/brif/*/hairpin_mode; do
    # A port may leave the bridge between the listing and the write.
    [[ -e "$mode" && "$(cat "$mode" 2>/dev/null)" != 1 ]] && { echo 1 > "$mode"; } 2>/dev/null
  done
  return 0
}

enable_all
# One line per link event; a port joining the bridge shows as a link with "master <bridge>".
ip monitor link | while read -r line; do
  [[ "$line" == *"master $bridge "* ]] && enable_all
done
