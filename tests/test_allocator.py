"""The allocator setting is harmless and idempotent, and respects the user's own choice."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str, env: dict[str, str] | None = None) -> str:
    import os

    full = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, check=True).stdout.strip()


def test_applied_once_on_glibc_linux_else_a_no_op():
    out = _run("from relkit.allocator import return_freed_memory as r; print(r(), r())")
    first, second = out.split()
    assert first == second  # idempotent
    if sys.platform.startswith("linux") and "glibc" in " ".join(__import__("platform").libc_ver()):
        assert first == "True"


def test_environment_choice_wins():
    out = _run("from relkit.allocator import return_freed_memory as r; print(r())", {"MALLOC_TRIM_THRESHOLD_": "1000000"})
    assert out == "False"
