"""plaza.rules is a public API usable without Django: no Django import anywhere in the package."""

import ast
import subprocess
import sys
from pathlib import Path

import plaza.rules

PACKAGE = Path(plaza.rules.__file__).parent
ROOT = PACKAGE.parent.parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_package_has_the_expected_modules():
    assert {"dates", "dues", "elections", "meetings", "recruitment", "sources"} <= set(MODULES)


def test_no_source_file_imports_django():
    sources = list(PACKAGE.glob("*.py"))
    assert len(sources) >= 7
    for path in sources:
        offending = {name for name in imported_modules(path) if name.split(".")[0] == "django"}
        assert not offending, f"{path.name} imports {offending}"


def test_importable_with_django_blocked():
    """Import every module in a fresh interpreter where any ``import django`` fails."""
    code = "\n".join(
        [
            "import sys",
            "sys.modules['django'] = None  # makes 'import django' and 'import django.x' raise ImportError",
            f"sys.path.insert(0, {str(ROOT)!r})",
            "import importlib",
            f"for name in {MODULES!r}:",
            "    importlib.import_module('plaza.rules.' + name)",
            "from decimal import Decimal",
            "from plaza.rules import dues",
            "loaded = [m for m, mod in sys.modules.items() if mod is not None and m.split('.')[0] == 'django']",
            "assert not loaded, loaded",
            "print(dues.monthly_dues(Decimal('6000'), 'in_service'))",
        ]
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "90.00"


def test_importable_with_the_standard_library_alone():
    """A system that merely imports ``plaza.rules`` needs none of Plaza's dependencies: ``-S`` leaves
    site-packages (Django, chinesecalendar, …) off the path; data packages load only when a rule needs them."""
    code = "\n".join(
        [
            "import sys",
            f"sys.path.insert(0, {str(ROOT)!r})",
            "import importlib",
            "import plaza.rules",
            f"for name in {MODULES!r}:",
            "    importlib.import_module('plaza.rules.' + name)",
            "from plaza.rules import quiz",
            "print(quiz.score(correct=True, elapsed_ms=600, limit_ms=2000, base=10))",
        ]
    )
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "9"
