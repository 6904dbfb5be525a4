"""Static files under hashed names, compressed ahead of time (issue 21).

``collectstatic`` (scripts/start.sh, deployment) writes every file under a name carrying a hash of its content,
``plaza.a1b2c3d4e5f6.css``, with ``.gz`` and ``.br`` copies beside it; WhiteNoise then answers those names with
``Cache-Control: max-age=315360000, immutable`` and the compressed copy the browser accepts. A phone on a
workshop's slow network fetches each file once until it changes, instead of asking again every minute.
"""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)
_warned: set[str] = set()  # each missing name is logged once per process, not on every page


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that keeps pages up when ``collectstatic`` has not been run.

    Django's manifest storage raises on a name missing from the manifest, so a forgotten ``collectstatic`` (a
    benchmark or a development server started by hand) would turn every page into an error. Here such a name is
    linked unhashed instead, with a warning in the log: the page works, that file just misses the year-long cache
    (WhiteNoise serves it from the finders where ``WHITENOISE_USE_FINDERS`` is on, as in the embedded default).
    """

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:
            # WhiteNoise asks for names that exist nowhere (it probes unminified twins such as vendor/htmx.js);
            # only a real file missing from the manifest means collectstatic was forgotten.
            if name not in _warned and finders.find(str(name)):
                _warned.add(str(name))
                log.warning("static file %s is not in the manifest: run `manage.py collectstatic`", name)
            return FileSystemStorage.url(self, name)
