"""The layers of docs/layout.md hold (issue 13): the import-linter contracts are kept, and in-function imports
are few, each with its reason. scripts/test.sh runs the same checks in CI; these tests also prove the
checker itself sees what it must."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _checker():
    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "scripts" / "check_imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checker_finds_in_function_imports_reads_reasons_and_sets_ready_apart(tmp_path):
    source = tmp_path / "apps.py"
    source.write_text(
        textwrap.dedent(
            """
            import os
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from plaza.orgs.models import Organisation

            def plain():
                from plaza.orgs import queries

            def explained():
                # reason: queries imports this module
                from plaza.orgs import queries
                import jieba  # reason: slow to import

            class Config:
                def ready(self):
                    from plaza.lib.sections import register
            """
        )
    )
    found = list(_checker().in_function_imports(source))
    assert [(module, reasoned, ready) for _line, module, reasoned, ready in found] == [
        ("plaza.orgs", False, False),
        ("plaza.orgs", True, False),
        ("jieba", True, False),
        ("plaza.lib.sections", False, True),
    ]


def test_in_function_imports_in_the_code_are_few_and_each_says_why():
    checker = _checker()
    found = [
        (path, line, reasoned)
        for path in checker.source_files(ROOT / "plaza")
        for line, _module, reasoned, ready in checker.in_function_imports(path)
        if not ready
    ]
    assert len(found) <= 20
    assert [(str(path), line) for path, line, reasoned in found if not reasoned] == []


def test_library_imports_no_app():
    """plaza.lib is the bottom of the app stack: it may use plaza.rules and itself, nothing else of plaza."""
    offenders = []
    for path in sorted((ROOT / "plaza" / "lib").glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if (
                len(words) >= 2
                and words[0] in ("from", "import")
                and words[1].startswith("plaza.")
                and not words[1].startswith(("plaza.lib", "plaza.rules"))
            ):
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


@pytest.mark.skipif(importlib.util.find_spec("importlinter") is None, reason="import-linter is in the test extra")
def test_import_linter_contracts_are_kept():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, importlinter.cli as c; sys.exit(c.lint_imports(no_cache=True))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
