"""What produced a result: code version and scenario content hash."""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from sim.scenario.schema import Scenario


@cache
def code_version() -> str:
    """Package version, plus the git commit (and '+dirty') when run from a checkout."""
    try:
        version = metadata.version("salesim")
    except metadata.PackageNotFoundError:
        version = "unknown"
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "sim"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version}+{commit}{'.dirty' if dirty else ''}" if commit else version


def scenario_hash(scenario: Scenario) -> str:
    """A short content hash of the validated scenario (same content, same hash)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
