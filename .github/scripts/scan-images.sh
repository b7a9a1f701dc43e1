#!/usr/bin/env bash
# Scans every image a stack runs (one per line on stdin, from `npm run images -- --stack <name>`) with
# Trivy and fails when any has a HIGH or CRITICAL vulnerability (checklist 1.1.4: zero HIGH/CRITICAL).
# Every image is scanned, so one run names all the images to fix. Images from an ECR registry are pulled
# with a token from `aws ecr get-login-password` (the job's OIDC role); TRIVY_IMAGE names the scanner.
set -euo pipefail

trivy_image=${TRIVY_IMAGE:?TRIVY_IMAGE names the Trivy image to run}
mapfile -t images < <(grep -v '^[[:space:]]*$' || true)
if [ "${#images[@]}" -eq 0 ]; then
    echo "::error::no image to scan: the stack renders no container"
    exit 1
fi

# One login per ECR registry the images come from.
docker_config=$(mktemp -d)
trap 'rm -rf "$docker_config"' EXIT
for registry in $(printf '%s\n' "${images[@]}" | sed -n 's#^\([0-9]\{12\}\.dkr\.ecr\.[a-z0-9-]*\.amazonaws\.com\)/.*#\1#p' | sort -u); do
    region=$(echo "$registry" | cut -d. -f4)
    aws ecr get-login-password --region "$region" | DOCKER_CONFIG=$docker_config docker login --username AWS --password-stdin "$registry" >/dev/null
done

failed=()
for image in "${images[@]}"; do
    echo "scanning $image"
    if docker run --rm -v "$docker_config:/root/.docker:ro" "$trivy_image" image --quiet --no-progress \
        --severity HIGH,CRITICAL --exit-code 1 "$image"; then
        echo "clean: $image"
    else
        echo "::error::$image has HIGH or CRITICAL vulnerabilities (or could not be scanned); rebuild it on a patched base and pin the new digest"
        failed+=("$image")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "${#failed[@]} of ${#images[@]} image(s) failed the scan: ${failed[*]}"
    exit 1
fi
echo "${#images[@]} image(s) scanned: none has a HIGH or CRITICAL vulnerability"
