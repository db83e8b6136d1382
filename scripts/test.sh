#!/usr/bin/env bash
# Builds with warnings as errors, runs the tests, and ends with "N passed, N failed, N skipped".
#   scripts/test.sh          every test project: what CI runs
#   scripts/test.sh --fast   unit and in-process component tests (tests/fast.slnf without the tests marked
#                            Category=Process): no child processes but redis-server, no Docker or Helm
# Other arguments (--filter, --logger, ...) pass through to dotnet test; a --filter is combined with --fast's.
# Needs the .NET 10 SDK and redis-server (or valkey-server) on PATH; the tests start their own servers on loopback.
set -uo pipefail
cd "$(dirname "$0")/.."

target=kuberollouttrigger.sln
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) target=tests/fast.slnf; fast=1 ;;
    --filter) filter="${2-}"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ -n "${fast-}" ]; then
  filter="${filter:+($filter)&}Category!=Process"
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build "$target" -c Release -warnaserror -nologo -v minimal || { echo "0 passed, 1 failed"; exit 1; }

# Tiered PGO instruments and recompiles hot code: worth it in a long-running server, about a tenth of the CPU
# of a test run (test host and the executables it starts) that ends before it pays off.
run() {
  DOTNET_TieredPGO=0 dotnet test "$1" -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
    ${2:+--filter "$2"} ${args[@]+"${args[@]}"}
}

status=0
if [ -n "${fast-}" ]; then
  run "$target" "$filter" || status=1
else
  # The delivery tests build the image and run containers: they run after the others, whose timing-sensitive
  # tests would otherwise share the machine's cores with image builds.
  run "$target" "${filter:+($filter)&}FullyQualifiedName!~Kuberollouttrigger.Delivery.Tests" || status=1
  run tests/Kuberollouttrigger.Delivery.Tests "$filter" || status=1
fi

# Sum the counters of every TRX file: <Counters total=".." executed=".." passed=".." failed=".." ...>;
# a skipped test counts in total but not in executed.
read -r passed failed skipped < <(
  grep -ho '<Counters [^>]*>' "$results"/*.trx 2>/dev/null | tr ' ' '\n' | awk -F'"' '
    /^total=/ {t += $2} /^executed=/ {e += $2} /^passed=/ {p += $2} /^failed=/ {f += $2}
    END {print p+0, f+0, t-e}')
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test results were written"
  failed=1
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
