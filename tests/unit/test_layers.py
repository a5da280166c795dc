"""The layers stay clean: the store knows no UI, and the report path stays light."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[2]


def test_store_imports_no_ui_framework():
    """Every module of store/, imported in a fresh interpreter, pulls in no Textual, typer or rich."""
    modules = sorted(
        m.name
        for m in pkgutil.walk_packages(store.__path__, "store.")
        if ".migrations" not in m.name
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('textual', 'typer', 'rich') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert len(modules) > 15  # the walk really found the store's modules


def test_no_sql_in_the_app_or_the_cli():
    faces = [*sorted((ROOT / "tui").rglob("*.py")), *sorted((ROOT / "commands").rglob("*.py"))]
    for path in [ROOT / "cli.py", *faces]:
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "DELETE FROM", "sqlalchemy", "sqlite3"):
            assert keyword not in text, f"{path.relative_to(ROOT)} contains {keyword!r}"
