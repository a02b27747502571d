"""The npm packages of the tests: pinned exactly, installed from the lock file, and the lock
file names no registry host (npm's `resolved` URLs are omitted, see .npmrc)."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_axe_core_is_pinned_exactly():
    declared = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", declared), declared
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]
    assert locked["version"] == declared and locked["integrity"].startswith("sha512-")


def test_lock_file_names_no_host():
    lock = (ROOT / "package-lock.json").read_text()
    assert "resolved" not in lock
    assert not re.search(r"https?://|registry|\b[\w-]+\.(?:org|com|net|io)\b", lock)
    assert "omit-lockfile-registry-resolved=true" in (ROOT / ".npmrc").read_text()
