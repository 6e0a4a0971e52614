#!/usr/bin/env bash
# Tools the tests run that are not Python packages, installed into .data/bin:
#   kubeconform, which validates deploy/k8s/ against the Kubernetes JSON schemas. It is built with
#   `go install` from the Go module proxy; its schemas come from the PyPI package
#   kubernetes-validate (a dev dependency), so validation needs no network (tests/deploy).
set -euo pipefail
cd "$(dirname "$0")/.."
KUBECONFORM_VERSION=v0.8.0
BIN="$PWD/.data/bin"
mkdir -p "$BIN"
STAMP="$BIN/kubeconform.version"  # `go install` builds report "development" as their version
if [ -x "$BIN/kubeconform" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$KUBECONFORM_VERSION" ]; then
  exit 0
fi
if ! command -v go >/dev/null; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
  fi
fi
GOBIN="$BIN" GOFLAGS=-mod=mod go install "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}"
echo "$KUBECONFORM_VERSION" > "$STAMP"
