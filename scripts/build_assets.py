"""Copy the front-end libraries Plaza uses from node_modules into build/vendor (served as /static/vendor/).

Run after ``npm ci``. No third-party file is committed: they all come from the npm registry. ECharts is not
copied but bundled by esbuild from ``assets/echarts-plaza.js`` with only the parts Plaza draws (bar charts),
480 KB instead of 1 MB (160 KB gzip, 140 KB brotli): the statistics pages load it on a workshop's slow network.
axe-core is there for the browser tests (tests/browser/conftest.py injects it); no page loads it.
Icons: only the Lucide icons named in ``assets/icons.txt`` are copied (into build/vendor/icons/, with Lucide's
licence), stripped of their comment and spacing; ``{% icon "name" %}`` (plaza.lib.icons) puts them inline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "build" / "vendor"
FILES = {
    "node_modules/htmx.org/dist/htmx.min.js": "htmx.min.js",  # only on pages that fill {% block htmx %}
    "node_modules/quill/dist/quill.js": "quill.js",  # the article editor in the back office
    "node_modules/quill/dist/quill.snow.css": "quill.snow.css",
    # The API docs (/api/v1/docs) served from here, not from a public CDN an intranet cannot reach.
    "node_modules/swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "node_modules/swagger-ui-dist/swagger-ui.css": "swagger-ui.css",
    "node_modules/axe-core/axe.min.js": "axe.min.js",  # accessibility checks in tests/browser
}
# The source-map comments point at .map files we do not ship; collectstatic's hashed storage would refuse them.
SOURCE_MAP = re.compile(rb"^(//# sourceMappingURL=.*|/\*# sourceMappingURL=.*\*/)\s*$", re.MULTILINE)
# Bundled, not copied: (entry point, output). process.env.NODE_ENV drops ECharts' development warnings.
BUNDLES = {"assets/echarts-plaza.js": "echarts.min.js"}
ICON_LIST = ROOT / "assets" / "icons.txt"
ICON_SOURCE = ROOT / "node_modules" / "lucide-static" / "icons"


def icon_names() -> list[str]:
    """The icons Plaza uses: ``assets/icons.txt`` without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in ICON_LIST.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def copy_icons() -> int:
    """Copy the listed icons, each one line without the licence comment (the licence file goes beside them)."""
    target = VENDOR / "icons"
    target.mkdir(parents=True, exist_ok=True)
    for name in icon_names():
        source = ICON_SOURCE / f"{name}.svg"
        if not source.exists():
            print(f"missing icon {name} in lucide-static: check assets/icons.txt or run `npm ci`", file=sys.stderr)
            return 1
        svg = re.sub(r"<!--.*?-->", "", source.read_text(encoding="utf-8"), flags=re.DOTALL)
        (target / f"{name}.svg").write_text(" ".join(svg.split()).replace(" />", "/>").replace("< ", "<"), "utf-8")
    (target / "LICENSE").write_bytes((ICON_SOURCE.parent / "LICENSE").read_bytes())
    return 0


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        path = ROOT / source
        if not path.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 1
        (VENDOR / target).write_bytes(SOURCE_MAP.sub(b"", path.read_bytes()))
    if copy_icons():
        return 1
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        print("missing node_modules/.bin/esbuild: run `npm ci` first", file=sys.stderr)
        return 1
    for entry, target in BUNDLES.items():
        command = [
            str(esbuild),
            entry,
            "--bundle",
            "--minify",
            "--format=iife",
            '--define:process.env.NODE_ENV="production"',
            f"--outfile={VENDOR / target}",
            "--log-level=warning",
        ]
        if subprocess.run(command, cwd=ROOT, check=False).returncode:
            print(f"esbuild failed on {entry}", file=sys.stderr)
            return 1
    print(f"front-end assets copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
