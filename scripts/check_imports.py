#!/usr/bin/env python
"""Count the imports that sit inside functions in non-test code (issue 13, "Layers").

An import inside a function hides a dependency from the reader and from import-linter's layer contract
(it sees it, but a reviewer skimming the top of the module does not), so one is allowed only where a real
cycle cannot be avoided, and then it carries a one-line reason: a ``# reason: …`` comment on the import
line or the line just above it. This script lists every in-function import, says which lack a reason, and
fails when there are more than ``--max`` (default 20) or any lacks a reason.

Not counted: imports in an ``AppConfig.ready()`` (``apps.py``). Django documents ``ready()`` as the place where an
app may import models and connect signals and registries; at module level ``apps.py`` runs before the app
registry is populated, so those imports cannot move up. They are listed with ``--list`` and counted apart.

    .venv/bin/python scripts/check_imports.py            # summary, fails over the limit
    .venv/bin/python scripts/check_imports.py --list     # every in-function import with its place
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {"tests", "migrations", "testing", "locale", "static", "templates"}


def source_files(package: Path) -> Iterator[Path]:
    """Non-test Python files of the package (tests, migrations and test helpers may import anywhere)."""
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if SKIP_PARTS.intersection(rel.parts) or path.name == "conftest.py":
            continue
        yield path


def in_function_imports(path: Path) -> Iterator[tuple[int, str, bool, bool]]:
    """(line, module imported, has a reason comment, in AppConfig.ready) for each import inside a function body.

    ``if TYPE_CHECKING:`` imports are module level and not counted.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))

    def walk(node: ast.AST, in_function: bool, in_ready: bool) -> Iterator[tuple[int, str, bool, bool]]:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            ready = in_ready or (
                path.name == "apps.py"
                and isinstance(node, ast.ClassDef)
                and isinstance(child, ast.FunctionDef)
                and child.name == "ready"
            )
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                if isinstance(child, ast.ImportFrom):
                    module = "." * child.level + (child.module or "")
                else:
                    module = ", ".join(alias.name for alias in child.names)
                here = lines[child.lineno - 1]
                above = lines[child.lineno - 2] if child.lineno >= 2 else ""
                reasoned = "# reason" in here or above.strip().startswith("# reason")
                yield child.lineno, module, reasoned, in_ready
            yield from walk(child, inside, ready)

    yield from walk(tree, False, False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every in-function import")
    parser.add_argument("--max", type=int, default=20, help="most in-function imports allowed (default 20)")
    args = parser.parse_args()

    found: list[tuple[Path, int, str, bool]] = []
    in_ready: list[tuple[Path, int, str]] = []
    for path in source_files(ROOT / "plaza"):
        for line, module, reasoned, ready in in_function_imports(path):
            if ready:
                in_ready.append((path.relative_to(ROOT), line, module))
            else:
                found.append((path.relative_to(ROOT), line, module, reasoned))
    unreasoned = [item for item in found if not item[3]]
    if args.list:
        for path, line, module, reasoned in found:
            print(f"{path}:{line}: {module}{'' if reasoned else '   (no # reason)'}")
        for path, line, module in in_ready:
            print(f"{path}:{line}: {module}   (AppConfig.ready, not counted)")
    print(
        f"{len(found)} in-function imports in non-test code ({len(unreasoned)} without a '# reason' comment); "
        f"{len(in_ready)} more in AppConfig.ready(), not counted"
    )
    if len(found) > args.max or unreasoned:
        print(f"at most {args.max} allowed, each with a '# reason: …' comment", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
