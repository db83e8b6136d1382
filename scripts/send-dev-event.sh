#!/usr/bin/env bash
# Sends one event to a web mode running with DEV_MODE=true (the local stack), as a GitHub Actions job would.
# DEV_MODE skips only the signature: the unsigned token still carries the issuer, audience, expiry and
# repository_owner the stack expects.
#   scripts/send-dev-event.sh [image] [tag...]
set -euo pipefail
url=${KRT_URL:-http://127.0.0.1:8080/event}
audience=${KRT_AUDIENCE:-kuberollouttrigger-local}
org=${KRT_ORG:-local-dev}
issuer=${KRT_ISSUER:-https://token.actions.githubusercontent.com}
image=${1:-ghcr.io/stefanprodan/podinfo}
shift || true
tags=("${@:-6.7.1}")

b64url() { printf '%s' "$1" | base64 | tr -d '=\n' | tr '+/' '-_'; }
now=$(date +%s)
# Every token needs its own jti: the web mode remembers it and refuses a second event under the same token.
jti=$(uuidgen 2>/dev/null || echo "dev-$now-$RANDOM$RANDOM")
header=$(b64url '{"alg":"none","typ":"JWT"}')
payload=$(b64url "{\"jti\":\"$jti\",\"iss\":\"$issuer\",\"aud\":\"$audience\",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + 300)),\"repository\":\"$org/demo\",\"repository_owner\":\"$org\",\"ref\":\"refs/heads/main\",\"sha\":\"0000000000000000000000000000000000000000\",\"workflow\":\"local\",\"actor\":\"${USER:-developer}\",\"run_id\":\"1\"}")
tag_json=$(printf '"%s",' "${tags[@]}")

curl -sS -i -X POST "$url" \
  -H "Authorization: Bearer $header.$payload." \
  -H 'Content-Type: application/json' \
  --data "{\"image\":\"$image\",\"tags\":[${tag_json%,}]}"
echo
