#!/bin/sh
# Runs on every `docker compose up`, in the k3s image: waits for the API server, writes the worker's kubeconfig afresh
# from the one k3s wrote on this start (that one points at 127.0.0.1; the worker reaches k3s by its service name), and
# applies the sample app. A kubeconfig left from an earlier start may name an old CA (after `down` + `up` without a
# kept k3s-data volume), so the new file is only put in place once it has reached the API server.
set -eu
worker=/output/kubeconfig-worker.yaml
rm -f "$worker"
for _ in $(seq 1 180); do
  if [ -s /output/kubeconfig.yaml ]; then
    sed 's#https://127.0.0.1:6443#https://k3s:6443#' /output/kubeconfig.yaml > "$worker.new"
    if KUBECONFIG="$worker.new" kubectl get --raw /readyz >/dev/null 2>&1; then
      chmod 644 "$worker.new"
      mv "$worker.new" "$worker"
      export KUBECONFIG="$worker"
      kubectl apply -f /sample/sample-app.yaml
      echo "kubeconfig written, sample app applied"
      exit 0
    fi
  fi
  sleep 1
done
echo "k3s did not answer with the kubeconfig it wrote within 180 s" >&2
exit 1
