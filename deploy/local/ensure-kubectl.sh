# Sourced by test.sh and .ci/run: makes sure kubectl is on PATH, which renders deploy/k8s
# (kubectl kustomize, offline) for the manifest test. Debian's kubernetes-client is enough.
ensure_kubectl() {
  command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "kubectl is missing: installing Debian's kubernetes-client with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >&2
  fi
  command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1 && return 0
  echo "kubectl is needed for the manifest test; install it (Debian: apt-get install -y kubernetes-client) or set KUBECTL to its path." >&2
  return 1
}
