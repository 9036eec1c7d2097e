# Certificates and tokens of the local test cluster (sourced by `up`).

write_cert() { # name cn org sans...
  local name="$1" cn="$2" org="$3"; shift 3
  local subj="/CN=$cn"; [[ -n "$org" ]] && subj="/O=$org$subj"
  local ext="$PKI/$name.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    if (( $# )); then
      local san="" s
      for s in "$@"; do
        if [[ "$s" =~ ^[0-9.]+$ ]]; then san+="IP:$s,"; else san+="DNS:$s,"; fi
      done
      echo "subjectAltName=${san%,}"
    fi
  } > "$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" \
    -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$ext"
}

write_kubeconfig() { # path user token
  local path="$1" user="$2" token="$3"
  cat > "$path" <<KC
apiVersion: v1
kind: Config
clusters:
- name: devspaces-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $user
  user:
    token: $token
contexts:
- name: devspaces-local
  context:
    cluster: devspaces-local
    user: $user
current-context: devspaces-local
KC
  chmod 600 "$path"
}

ensure_pki() {
  local node_ip="$1"
  mkdir -p "$PKI"; chmod 700 "$PKI"
  # The serving certificates name the docker0 address; regenerate them if it changed.
  if [[ -f "$PKI/apiserver.crt" && "$(cat "$PKI/node-ip" 2>/dev/null)" == "$node_ip" ]]; then
    return 0
  fi
  say "writing certificates and tokens"
  if [[ ! -f "$PKI/ca.crt" ]]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -days 3650 \
      -subj "/CN=devspaces-local-ca" -out "$PKI/ca.crt" 2>/dev/null
  fi
  write_cert apiserver kube-apiserver "" 127.0.0.1 "$node_ip" "$KUBERNETES_SERVICE_IP" localhost \
    kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local
  write_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  write_cert kubelet "$NODE_NAME" "" "$node_ip" 127.0.0.1 "$NODE_NAME"
  [[ -f "$PKI/sa.key" ]] || openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

  if [[ ! -f "$PKI/tokens.csv" ]]; then
    local who
    : > "$PKI/tokens.csv"
    for who in admin kubelet controller-manager scheduler kube-proxy; do
      local tok; tok="$(openssl rand -hex 24)"
      local user="$who" groups="system:masters"
      case "$who" in
        kubelet) user="system:node:$NODE_NAME"; groups="system:nodes" ;;
        controller-manager) user="system:kube-controller-manager"; groups="" ;;
        scheduler) user="system:kube-scheduler"; groups="" ;;
        kube-proxy) user="system:kube-proxy"; groups="" ;;
      esac
      echo "$tok,$user,$who,\"$groups\"" >> "$PKI/tokens.csv"
      echo "$tok" > "$PKI/$who.token"
    done
    chmod 600 "$PKI"/*.token "$PKI/tokens.csv"
  fi
  local who
  for who in kubelet controller-manager scheduler kube-proxy; do
    local user; user="$(awk -F, -v w="$who" '$3==w{print $2}' "$PKI/tokens.csv")"
    write_kubeconfig "$PKI/$who.kubeconfig" "$user" "$(cat "$PKI/$who.token")"
  done
  write_kubeconfig "$KUBECONFIG_PATH" admin "$(cat "$PKI/admin.token")"
  echo "$node_ip" > "$PKI/node-ip"
}
