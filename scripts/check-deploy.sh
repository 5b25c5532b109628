#!/usr/bin/env bash
# Checks docker-compose.yml, deploy/nginx.conf, the Dockerfile's Node and the Kubernetes base in deploy/k8s
# (rendered with `kubectl kustomize`: Debian's kubernetes-client). No Docker engine or cluster needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v kubectl > /dev/null; then
  echo "kubectl is missing: apt-get install kubernetes-client" >&2
  exit 1
fi
exec npx ts-node -r tsconfig-paths/register scripts/check-deploy.ts
