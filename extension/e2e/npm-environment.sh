# Runs a command without what an outer npm (`npm run test:e2e`) put into the environment
# (sourced, not run):
#   without_outer_npm [NAME=VALUE...] CMD...   (settings given here are kept, as with env)
# npm exports its whole configuration as npm_config_* to the scripts it runs, among them
# npm_config_user_agent naming its own Node version, npm_config_prefix, npm_config_node_gyp and
# npm_config_nodedir, plus npm_package_*, npm_lifecycle_*, npm_command, npm_execpath,
# npm_node_execpath, INIT_CWD and NODE, and it puts node_modules/.bin folders and its node-gyp shim
# on PATH. An npm started inside would take all of it as its own configuration: code-server's
# postinstall then reads Node 20 from the user agent and refuses to install.
# Kept: how to reach the registry (registry, CA, proxies, strict-ssl) and where the user's npmrc
# is, so the installs work behind the same mirror as the outer npm.

npm_registry_access_settings='^npm_config_(registry|ca|cafile|proxy|https_proxy|noproxy|strict_ssl|userconfig|globalconfig)$'

without_outer_npm() {
  local args=() name entry entries path=""
  while IFS= read -r name; do
    if [[ "$name" =~ ^npm_ || "$name" == INIT_CWD || "$name" == NODE ]] \
      && ! [[ "$name" =~ $npm_registry_access_settings ]]; then
      args+=(-u "$name")
    fi
  done < <(compgen -e)
  IFS=: read -ra entries <<< "$PATH"
  for entry in "${entries[@]}"; do
    [[ "$entry" == */node_modules/.bin || "$entry" == */node-gyp-bin ]] && continue
    path="${path:+$path:}$entry"
  done
  env "${args[@]}" PATH="$path" "$@"
}
