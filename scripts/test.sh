#!/usr/bin/env bash
# Builds with warnings as errors, runs every test project, and ends with "N passed, N failed[, N skipped]".
# Needs the .NET 10 SDK and redis-server (or valkey-server) on PATH; the tests start their own servers on loopback.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build kuberollouttrigger.sln -c Release -warnaserror -nologo -v minimal || { echo "0 passed, 1 failed"; exit 1; }

# The delivery tests build the image and run containers: they run after the others, whose timing-sensitive tests would
# otherwise share the machine's cores with image builds.
dotnet test kuberollouttrigger.sln -c Release --no-build -nologo --filter "FullyQualifiedName!~Kuberollouttrigger.Delivery.Tests" \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?
dotnet test tests/Kuberollouttrigger.Delivery.Tests -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=1

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
