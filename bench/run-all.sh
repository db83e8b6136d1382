#!/usr/bin/env bash
# Every figure of docs/performance.md in one command, each with its baseline measured in the same run, then the table
# regenerated from what ran: a row measured now replaces its old value, date and load average; a row not measured
# keeps them (so steps can run one at a time on a busy machine).
#
#   bash bench/run-all.sh                          # every step (about 25 minutes on 2 idle cores)
#   bash bench/run-all.sh --only ingress,gc        # some steps: ingress worker stream footprint index scale gc container
#   bash bench/run-all.sh --no-docker              # without the container measurements
#   bash bench/run-all.sh --repeat 3               # the ingress load three times, the median ratio and the spread
#   bash bench/run-all.sh --no-write               # print only, leave docs/performance.md as it is
#   bash bench/run-all.sh --no-build               # reuse the last build (bench/out)
#
# Needs redis-server (or valkey-server) on PATH; the container rows need Docker (DOCKER_BUILDKIT=0 builds the image).
# Each step is stopped after STEP_TIMEOUT seconds (600). The ingress steps sign their single-use tokens first (TOKENS,
# default 200,000; GC_TOKENS, 120,000 per GC variant: enough for an idle machine; a busy one needs fewer and signs slower). The machine should be otherwise idle: every row records the
# 1-minute load average when it was measured, and each step prints `uptime` before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

steps="ingress worker stream footprint index scale gc container"
write=1
repeat=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) steps="${2//,/ }"; shift ;;
    --no-docker) steps="${steps/container/}" ;;
    --no-write) write=0 ;;
    --no-build) build=0 ;;
    --repeat) repeat="$2"; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
  shift
done
wants() { [[ " $steps " == *" $1 "* ]]; }

out=bench/out
mkdir -p "$out"
export KRT_BENCH_FIGURES="$out/figures.jsonl"
: >"$KRT_BENCH_FIGURES"
timeout_s="${STEP_TIMEOUT:-600}"

step() { echo; echo "### $*"; uptime; }
run() { timeout --kill-after=10 "$timeout_s" "${bench[@]}" "$@" || echo "!!! step failed or timed out (exit $?): $*"; }

if [ "$build" = 1 ]; then
  step "build"
  # As the Dockerfile publishes it: ReadyToRun for this machine's architecture.
  dotnet publish services/host -c Release -o "$out/app" --use-current-runtime --self-contained false -p:PublishReadyToRun=true -v quiet -nologo
  dotnet build bench/Kuberollouttrigger.Bench -c Release -v quiet -nologo
fi
bench=(dotnet bench/Kuberollouttrigger.Bench/bin/Release/net10.0/Kuberollouttrigger.Bench.dll)
dll="$out/app/kuberollouttrigger.dll"

if wants ingress; then
  step "ingress load (16 and 64 connections against the bare-PUBLISH endpoint in the same run, then a flood)"
  run ingress-load "$dll" --seconds 5 --tokens $((${TOKENS:-200000} * repeat)) --repeat "$repeat"
fi
if wants gc; then
  # The GC settings table: throughput against the baseline and the peak RSS together, 64 connections, one variant a run.
  step "GC settings: workstation, non-concurrent (the image's)"
  run ingress-load "$dll" --seconds 5 --tokens "${GC_TOKENS:-120000}" --connections 64 --no-flood --label "workstation, non-concurrent" --env DOTNET_gcServer=0
  step "GC settings: server GC with DATAS"
  run ingress-load "$dll" --seconds 5 --tokens "${GC_TOKENS:-120000}" --connections 64 --no-flood --label "server GC, DATAS" --env DOTNET_gcServer=1
  step "GC settings: workstation, 16 MiB gen0 budget"
  run ingress-load "$dll" --seconds 5 --tokens "${GC_TOKENS:-120000}" --connections 64 --no-flood --label "workstation, gen0 16 MiB" --env DOTNET_GCgen0size=0x1000000
  step "GC settings: workstation, concurrent"
  run ingress-load "$dll" --seconds 5 --tokens "${GC_TOKENS:-120000}" --connections 64 --no-flood --label "workstation, concurrent" --env DOTNET_gcConcurrent=1
fi
if wants worker; then
  step "worker latency (10,000 Deployments, against a bare PATCH)"
  run worker-latency "$dll"
fi
if wants stream; then
  step "stream delivery on an idle worker (against polling alone)"
  run stream-latency "$dll"
fi
if wants footprint; then
  step "footprint (ready time, RSS)"
  run footprint "$dll"
fi
if wants index; then
  step "index sync (cluster-wide, then per namespace)"
  run index-sync
  run index-sync --per-namespace
fi
if wants scale; then
  step "ten times the cluster (100,000 realistic Deployments in 2,000 namespaces, 10,000 as the baseline)"
  run cluster-scale "$dll"
fi
if wants container; then
  step "memory in a container at the chart's limits"
  DOCKER_BUILDKIT=0 docker build -q -t kuberollouttrigger:bench . >/dev/null
  run container-memory kuberollouttrigger:bench --tokens "${CONTAINER_TOKENS:-150000}"
  run container-memory kuberollouttrigger:bench --only worker --deployments 100000 --realistic --worker-memory 256Mi --label "100k"
fi
step "done"

if [ "$write" = 1 ]; then
  "${bench[@]}" report "$KRT_BENCH_FIGURES" --doc docs/performance.md --store bench/figures.json
else
  cat "$KRT_BENCH_FIGURES"
fi
