"""Copy the front-end libraries Plaza uses from node_modules into build/vendor (served as /static/vendor/).

Run after ``npm ci``. No third-party file is committed: they all come from the npm registry. ECharts is not
copied but bundled by esbuild from ``assets/echarts-plaza.js`` with only the parts Plaza draws (bar charts),
480 KB instead of 1 MB (160 KB gzip, 140 KB brotli): the statistics pages load it on a workshop's slow network.
axe-core is there for the browser tests (tests/browser/conftest.py injects it); no page loads it.
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


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        path = ROOT / source
        if not path.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 1
        (VENDOR / target).write_bytes(SOURCE_MAP.sub(b"", path.read_bytes()))
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
