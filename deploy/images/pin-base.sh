#!/bin/sh
# make pin-base: point the Dockerfile's PYTHON_IMAGE at python:3.11-slim's current digest.
# With no argument, asks the registry for the digest of the tag's multi-platform index (docker
# buildx imagetools: nothing is pulled); with one (sha256:<64 hex>), writes that one. Rebuild
# and let the pipeline scan the images afterwards; commit the Dockerfile.
set -eu

tag=python:3.11-slim
dockerfile=${DOCKERFILE:-$(dirname "$0")/../../Dockerfile}

if [ $# -gt 0 ]; then
    digest=$1
else
    digest=$(docker buildx imagetools inspect "$tag" --format '{{json .Manifest}}' \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["digest"])')
fi

if ! printf '%s\n' "$digest" | grep -Eqx 'sha256:[0-9a-f]{64}'; then
    echo "pin-base: not an image digest: $digest" >&2
    exit 1
fi

sed -i "s|^ARG PYTHON_IMAGE=.*|ARG PYTHON_IMAGE=$tag@$digest|" "$dockerfile"
echo "pin-base: $tag@$digest"
