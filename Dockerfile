# syntax=docker/dockerfile:1
# The image of each EduCluster service, from the repository root:
#   docker build --build-arg SERVICE=quality -t educluster/quality:dev .
# `make images` builds the four; .github/workflows/images.yml also scans, signs and attests them
# (docs/deploy.md "Images").

# python:3.11-slim's multi-platform index by digest, so every rebuild starts from the same bytes.
# It must be refreshed to take the base's security fixes: `make pin-base` rewrites this line.
ARG PYTHON_IMAGE=python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff
# gateway, registry, assessment or quality
ARG SERVICE

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
# The dependencies get their own layer, keyed on the locks alone: a code or README change does
# not reinstall them. Nothing is resolved: exactly the locked files, each checked by its hash.
COPY requirements/base.lock requirements/build.lock requirements/
RUN pip install --require-hashes --no-deps -r requirements/build.lock -r requirements/base.lock
# The common packages, the educluster command (migrations) and this service only: the other
# services' folders are absent, and pyproject's package search skips what is absent.
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY educluster ./educluster
ARG SERVICE
COPY services/${SERVICE} ./services/${SERVICE}
# Editable, so the image has the layout of a checkout: `educluster migrate` finds
# services/<service>/<service>/migrations. The locked setuptools builds it (no download).
RUN pip install --no-deps --no-build-isolation -e . \
    && python -m compileall -q shared educluster services

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin educluster

# Each service's port (shared/platform/names.py); the last stage starts from its service's.
FROM runtime AS port-gateway
ENV UVICORN_PORT=8000
FROM runtime AS port-registry
ENV UVICORN_PORT=8001
FROM runtime AS port-assessment
ENV UVICORN_PORT=8002
FROM runtime AS port-quality
ENV UVICORN_PORT=8003

FROM port-${SERVICE}
ARG SERVICE
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
# uvicorn takes the app and the port from UVICORN_APP and UVICORN_PORT, so CMD is the same exec
# form for every service: uvicorn is PID 1 and receives SIGTERM. A bounded graceful shutdown:
# open SSE streams must not keep the lifespan shutdown (consumers leaving their group, relay
# stopping) from ever running.
ENV UVICORN_APP=${SERVICE}.bootstrap:create_app
EXPOSE ${UVICORN_PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['UVICORN_PORT'] + '/healthz', timeout=3)"]
CMD ["uvicorn", "--factory", "--host", "0.0.0.0", "--timeout-graceful-shutdown", "20"]

# Last, so a new commit changes no layer above. VERSION and REVISION: `git describe` and the
# commit (make images, the pipeline); SOURCE: the repository's URL (the pipeline).
ARG PYTHON_IMAGE
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=
LABEL org.opencontainers.image.title="educluster-${SERVICE}" \
      org.opencontainers.image.description="EduCluster ${SERVICE} service" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="${PYTHON_IMAGE}"
