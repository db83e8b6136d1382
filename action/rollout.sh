#!/usr/bin/env bash
# The logic of the kuberollouttrigger composite action (action.yml), in bash with curl and jq only.
# Inputs come as KRT_* variables; the OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN.
# Exit 0 on a 2xx answer (202 after a wait that ran out is a warning); non-zero on anything else, so a failed
# rollout (424), nothing matched (422) or a refused request fails the job.
set -euo pipefail

fail() { echo "::error::$*" >&2; exit 1; }

audience=${KRT_AUDIENCE:-}
url=${KRT_URL:-}
image=${KRT_IMAGE:-}
tags_input=${KRT_TAGS:-}
timeout=${KRT_TIMEOUT_SECONDS:-10}
expand=${KRT_EXPAND_VERSIONS:-false}
wait=${KRT_WAIT:-}

[ -n "$audience" ] || fail "input audience is required"
[ -n "$url" ] || fail "input url is required"
[ -n "$image" ] || fail "input image is required"
[ -n "$tags_input" ] || fail "input tags is required"
[[ "$timeout" =~ ^[0-9]+([.][0-9]+)?$ ]] && [[ ! "$timeout" =~ ^0+([.]0+)?$ ]] || fail "timeout-seconds must be a positive number"
[[ "$url" =~ ^https?://[^/]+ ]] || fail "url must be an http(s) URL"
if [ -n "$wait" ]; then
  [[ "$wait" =~ ^[0-9]+$ ]] && [ "$((10#$wait))" -le 900 ] || fail "wait must be a whole number of seconds from 0 to 900"
  wait=$((10#$wait))
fi
command -v curl >/dev/null || fail "curl is required"
command -v jq >/dev/null || fail "jq is required"

# Tags: comma-separated, trimmed, empty ones dropped; expand-versions turns vX.Y.Z into vX, vX.Y, vX.Y.Z; duplicates
# removed keeping the first.
tags=()
IFS=',' read -r -a raw_tags <<< "$tags_input"
for tag in "${raw_tags[@]}"; do
  tag="${tag#"${tag%%[![:space:]]*}"}"
  tag="${tag%"${tag##*[![:space:]]}"}"
  [ -n "$tag" ] || continue
  if [ "$expand" = "true" ] && [[ "$tag" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
    tags+=("v${BASH_REMATCH[1]}" "v${BASH_REMATCH[1]}.${BASH_REMATCH[2]}" "$tag")
  else
    tags+=("$tag")
  fi
done
[ "${#tags[@]}" -gt 0 ] || fail "tags must contain at least one non-empty tag"
tags_json=$(printf '%s\n' "${tags[@]}" | jq -R . | jq -sc 'reduce .[] as $t ([]; if index([$t]) then . else . + [$t] end)')
body=$(jq -nc --arg image "$image" --argjson tags "$tags_json" '{image: $image, tags: $tags}')

# The OIDC token for the audience; it never reaches the log.
[ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] && [ -n "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ] \
  || fail "no OIDC token available: give the job 'permissions: id-token: write'"
separator='?'; [[ "$ACTIONS_ID_TOKEN_REQUEST_URL" == *\?* ]] && separator='&'
token_url="${ACTIONS_ID_TOKEN_REQUEST_URL}${separator}audience=$(jq -rn --arg a "$audience" '$a|@uri')"
token=$(curl -sS -f --max-time "$timeout" --retry 2 -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$token_url" | jq -r '.value // empty') \
  || fail "could not get an OIDC token from GitHub"
[ -n "$token" ] || fail "GitHub answered without an OIDC token"
echo "::add-mask::$token"

target=$url
max_time=$timeout
if [ -n "$wait" ]; then
  separator='?'; [[ "$url" == *\?* ]] && separator='&'
  target="${url}${separator}wait=${wait}"
  max_time=$(( wait + ${timeout%%.*} + 1 ))
fi

answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
# 502 (a proxy found no web pod) and 503 (Valkey or the issuer's keys briefly unavailable) published nothing: retried twice.
for attempt in 1 2 3; do
  code=$(curl -sS -o "$answer" -w '%{http_code}' --max-time "$max_time" -X POST "$target" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body") || code=000
  [[ "$code" == 502 || "$code" == 503 ]] && [ "$attempt" -lt 3 ] || break
  sleep 2
done

echo "POST $target -> $code"
[ -s "$answer" ] && { cat "$answer"; echo; }

state=$(jq -r '.state // empty' "$answer" 2>/dev/null || true)
event_id=$(jq -r '.eventId // empty' "$answer" 2>/dev/null || true)
# What the service said went wrong: a problem's detail (which check refused the request), or a status record's reason.
detail=$(jq -r 'if type == "object" then (.detail // .reason // empty) else empty end' "$answer" 2>/dev/null | tr '\r\n' '  ' | head -c 1000 || true)
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "status-code=$code"; echo "event-id=$event_id"; echo "state=$state"; } >> "$GITHUB_OUTPUT"
fi

# The workloads of a status answer as a table: to the log, and as Markdown to the job summary.
if jq -e '.workloads | type == "array"' "$answer" >/dev/null 2>&1; then
  jq -r '
    def rows: [["NAMESPACE", "KIND", "NAME", "OUTCOME", "ROLLOUT", "REASON"]]
      + [.workloads[] | [.namespace, .kind, .name, .outcome, (.rollout.state // "-"), (.rollout.reason // .reason // "-")]];
    rows as $r
    | [range(0; 5) as $i | [$r[][$i] | length] | max] as $w
    | $r[] | [range(0; 5) as $i | .[$i] + (" " * ($w[$i] - (.[$i] | length)))] + [.[5]] | join("  ")' "$answer"
  echo "event $event_id: $state"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
      echo "### kuberollouttrigger: \`$image\` ${tags[*]} -> $state"
      echo
      echo "| Namespace | Kind | Name | Outcome | Rollout | Reason |"
      echo "|---|---|---|---|---|---|"
      jq -r '.workloads[] | "| \(.namespace) | \(.kind) | \(.name) | \(.outcome) | \(.rollout.state // "-") | \((.rollout.reason // .reason // "-") | gsub("\\|"; "\\|")) |"' "$answer"
      [ "$state" = "no-match" ] && echo "| - | - | - | no workload uses this image and tag | - | - |"
      echo
    } >> "$GITHUB_STEP_SUMMARY"
  fi
fi

case "$code" in
  200|201|204) exit 0 ;;
  202)
    [ -n "$wait" ] && echo "::warning::the rollout did not finish within ${wait} s; event $event_id is $state"
    exit 0 ;;
  424) fail "a rollout failed (event $event_id)${detail:+: $detail}" ;;
  422) fail "the service answered 422${state:+ ($state)}${detail:+: $detail}" ;;
  000) fail "no answer from $url within ${max_time} s" ;;
  *) fail "request failed with status $code${detail:+: $detail}" ;;
esac
