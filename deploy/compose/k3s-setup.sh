#!/bin/sh
# Runs once in the k3s image: waits for the API server, applies the sample app, and writes a kubeconfig that
# points at the k3s service name (the one k3s writes points at 127.0.0.1) for the worker.
set -eu
until [ -s /output/kubeconfig.yaml ]; do sleep 1; done
sed 's#https://127.0.0.1:6443#https://k3s:6443#' /output/kubeconfig.yaml > /output/kubeconfig-worker.yaml
chmod 644 /output/kubeconfig-worker.yaml
export KUBECONFIG=/output/kubeconfig-worker.yaml
until kubectl get --raw /readyz >/dev/null 2>&1; do sleep 1; done
kubectl apply -f /sample/sample-app.yaml
echo "sample app applied"
