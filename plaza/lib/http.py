"""HTTP-level protections that hold for every page: nothing personal kept in a cache, no request larger than
the one upload figure, and uploaded pictures served safely in the embedded default.

Middleware, so that no view can forget them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from django.shortcuts import render
from django.templatetags.static import static
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

#: The only kinds of upload served from /media/, with the content type we state (never guessed from the bytes).
PICTURE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


class NoStoreForPeopleMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in person or an API token.

    Pages and JSON of a signed-in person carry personal data (ID numbers, political status, votes, points);
    a shared proxy or the browser's back-forward cache must not keep them. Static files never reach this
    middleware (WhiteNoise answers them before), nor do the public pictures (:class:`PublicMediaMiddleware`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # an API token sets request.user too
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


class PublicMediaMiddleware:
    """Serve the uploaded pictures that pages show (mall items, article covers) under ``MEDIA_URL``.

    Only pictures, only from the folders listed in ``PLAZA_PUBLIC_MEDIA_PREFIXES``, with the content type
    taken from the extension and ``X-Content-Type-Options: nosniff``, so an upload can never be served as a
    page or a script of ours. Every other upload (recruitment documents, meeting and evaluation attachments,
    the assistant's sources) is personal or scoped and only ever leaves through its own permission-checked
    view: here it is a 404. In production nginx serves the same folders (docs/production.md); this stays as
    the fallback and for the embedded default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefix = settings.MEDIA_URL
        self.folders = tuple(settings.PLAZA_PUBLIC_MEDIA_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return self.serve(request.path_info[len(self.prefix) :])

    def serve(self, name: str) -> HttpResponseBase:
        path = PurePosixPath(name)
        content_type = PICTURE_TYPES.get(path.suffix.lower())
        if (
            content_type is None
            or ".." in path.parts
            or "\x00" in name
            or not name.startswith(self.folders)
            or len(name) > 512
        ):
            return HttpResponseNotFound()
        try:
            full = safe_join(str(settings.MEDIA_ROOT), *path.parts)
            handle = open(full, "rb")  # noqa: SIM115 - FileResponse closes it
        except (OSError, ValueError):  # missing, a folder, or outside MEDIA_ROOT
            return HttpResponseNotFound()
        response = FileResponse(handle, content_type=content_type)
        response["Last-Modified"] = http_date(os.fstat(handle.fileno()).st_mtime)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["Cache-Control"] = "public, max-age=86400"
        return response


def private_picture(image: FieldFile | None, *, max_age: int | None = 3600) -> FileResponse:
    """An uploaded picture that is not public media (a post's, a suggestion's, an activity's, a project's), for a
    view that has already checked the viewer may see it: the one way apps serve such pictures.

    The content type comes from the stored name (:data:`PICTURE_TYPES`, never guessed from the bytes; JPEG for
    anything else, as the upload check stores only JPEG and PNG), the browser is told not to sniff it and not to
    run anything in it, and only the viewer's own browser may cache it (``max_age=None``: no caching header here,
    so the signed-in no-store rule applies). A missing file is a 404, not a 500."""
    if not image:
        raise Http404
    try:
        handle = image.open("rb")
    except OSError as exc:
        raise Http404 from exc
    content_type = PICTURE_TYPES.get(PurePosixPath(image.name).suffix.lower(), "image/jpeg")
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    if max_age is not None:
        response["Cache-Control"] = f"private, max-age={max_age}"
    return response


class RequestSizeMiddleware:
    """Refuse a request body larger than ``PLAZA_MAX_UPLOAD_MB`` before anything reads it (413, with the reason).

    Django bounds a form's fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its files; nginx bounds both with
    ``client_max_body_size`` set to the same figure (docs/production.md). This is the same bound for the embedded
    default, where no nginx stands in front. Each form still checks its own, smaller limits (pictures 5 MB, …).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.limit = settings.PLAZA_MAX_UPLOAD_MB * 1024 * 1024

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            reason = _("上传的内容超过 %(mb)s MB，无法接收。请压缩文件或分批上传。") % {
                "mb": settings.PLAZA_MAX_UPLOAD_MB
            }
            if request.path.startswith("/api/"):
                return HttpResponse(
                    json.dumps({"detail": reason}, ensure_ascii=False), status=413, content_type="application/json"
                )
            return render(request, "core/bad_request.html", {"reason": reason}, status=413)
        return self.get_response(request)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

#: The kinds of file pages hand out, by the extension of the name they are given under.
DOWNLOAD_TYPES = {".xlsx": XLSX, ".pdf": PDF}


def attachment(content: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """A file to download under a Chinese name, the one download helper of every app (Excel and PDF).

    The name goes in ``filename*`` (RFC 5987 / RFC 6266: UTF-8, percent-encoded) so 党费收缴-2026-05.xlsx
    arrives as written; ``filename`` carries an ASCII name with the same extension for clients that read
    only that. The content type follows the extension unless given. One helper, so no app reaches into
    another app's views for it (docs/layout.md, layers)."""
    suffix = PurePosixPath(filename).suffix.lower()
    kind = content_type or DOWNLOAD_TYPES.get(suffix, "application/octet-stream")
    response = HttpResponse(content, content_type=kind)
    ascii_name = f"plaza{suffix}" if suffix.isascii() else "plaza"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


#: What pages link to in their head (templates/base.html): preloaded from the headers when the page links to it.
PRELOADED = (("plaza/plaza.css", "style"), ("plaza/plaza.js", "script"))


class PreloadMiddleware:
    """A page's answer names its style sheet and script in a ``Link: rel=preload`` header (issue 21).

    On a weak signal the browser only finds the ``<link>`` and ``<script>`` once the page's body has arrived; with
    the header it asks for them as the page is committed, before parsing it (measured on the slow-3G profile of
    ``benchmarks/bench_slow3g.py``: the style sheet's request leaves about 0.1 s earlier on a first visit). On
    later visits the hashed files come from the cache and the header costs a few bytes. Only a full HTML page that
    links to the file gets it (not an htmx fragment, a download, or a page such as the API's that does not)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.assets: list[tuple[bytes, str]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)  # not streamed: the body is here to look at
            and response.get("Content-Type", "").startswith("text/html")
            and "Link" not in response
            and not request.headers.get("HX-Request")
        ):
            body = response.content
            links = [f"<{url.decode()}>; rel=preload; as={kind}" for url, kind in self._assets() if url in body]
            if links:
                response["Link"] = ", ".join(links)
        return response

    def _assets(self) -> list[tuple[bytes, str]]:
        if self.assets is None:
            found = []
            for path, kind in PRELOADED:
                try:
                    found.append((static(path).encode(), kind))
                except ValueError:  # not in the manifest (collectstatic not run): nothing to preload
                    continue
            self.assets = found
        return self.assets
