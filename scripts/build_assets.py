"""Copy the front-end libraries Plaza uses from node_modules into build/vendor (served as /static/vendor/).

Run after ``npm ci``. No third-party file is committed: they all come from the npm registry.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "build" / "vendor"
FILES = {
    "node_modules/htmx.org/dist/htmx.min.js": "htmx.min.js",
    "node_modules/echarts/dist/echarts.min.js": "echarts.min.js",
    "node_modules/quill/dist/quill.js": "quill.js",  # the article editor in the back office
    "node_modules/quill/dist/quill.snow.css": "quill.snow.css",
    # The API docs (/api/v1/docs) served from here, not from a public CDN an intranet cannot reach.
    "node_modules/swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "node_modules/swagger-ui-dist/swagger-ui.css": "swagger-ui.css",
}


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        path = ROOT / source
        if not path.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 1
        shutil.copyfile(path, VENDOR / target)
    print(f"front-end assets copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
