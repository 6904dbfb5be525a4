"""The package is a public API usable without Django, and its documented examples are true."""

import ast
import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import plaza.rules
from plaza.rules import dates, dues, elections, meetings, recruitment

PACKAGE = Path(plaza.rules.__file__).parent


@pytest.mark.parametrize("module", [dates, dues, elections, meetings, recruitment])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_no_django_import_in_the_source():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(alias.name.split(".")[0] == "django" for alias in node.names), path
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "django", path


def test_importable_with_django_blocked():
    code = (
        "import sys; sys.modules['django'] = None\n"
        "import importlib.util, pathlib\n"
        f"sys.path.insert(0, {str(PACKAGE.parent.parent)!r})\n"
        "from plaza.rules import dues, elections, meetings, recruitment\n"
        "from decimal import Decimal; print(dues.monthly_dues(Decimal('6000'), 'in_service'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "90.00"
