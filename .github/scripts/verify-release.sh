#!/usr/bin/env bash
# Gate after `pulumi up`: every verification Job of the platform (they are named after the release, so
# the update just created them) must have completed successfully. `pulumi up` already waits for each Job
# and fails on a failed one; this check also fails when none ran at all.
set -euo pipefail

selector="app.kubernetes.io/component=verification,app.kubernetes.io/part-of=voting-app"
jobs=$(kubectl get jobs --all-namespaces -l "$selector" \
    -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.succeeded}{"\n"}{end}')

if [ -z "$jobs" ]; then
    echo "::error::no verification Job found (label selector $selector); is features.verificationJobs on?"
    exit 1
fi

status=0
while read -r job succeeded; do
    if [ "${succeeded:-0}" -ge 1 ]; then
        echo "succeeded: $job"
    else
        echo "::error::verification Job $job did not succeed; kubectl logs -n ${job%%/*} job/${job#*/}"
        status=1
    fi
done <<<"$jobs"
exit "$status"
