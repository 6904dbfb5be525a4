"""Pages for Excel import (committee staff) and roster export (officers)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from plaza.accounts.models import PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.params import int_param

from . import exports, imports, queries
from .permissions import Cap, Scope, can

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"plaza.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.IMPORT):
        raise PermissionDenied
    result = None
    kind = request.POST.get("kind", request.GET.get("kind", "people"))
    if kind not in imports.KINDS:
        kind = "people"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            result = imports.ImportResult(kind, errors=[imports.RowError(1, "", "请选择要上传的 Excel 文件。")])
        elif kind == "organisations":
            result = imports.import_organisations(request.user, upload)
        else:
            result = imports.import_people(request.user, upload)
    return render(
        request,
        "orgs/import.html",
        {
            "kind": kind,
            "kinds": imports.KIND_LABELS,
            "result": result,
            "active_tab": "work",
        },
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if not can(request.user, Cap.IMPORT):
        raise PermissionDenied
    if kind not in imports.KINDS:
        raise Http404
    return _attachment(imports.template_workbook(kind), f"导入模板-{imports.KIND_LABELS[kind]}.xlsx")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.EXPORT_PEOPLE):
        raise PermissionDenied
    org = None
    if int_param(request, "org") is not None:
        org = get_object_or_404(queries.visible_organisations(request.user), pk=int_param(request, "org"))
    q = request.GET.get("q", "")[:64]
    status = request.GET.get("status", "")
    status = status if status in PoliticalStatus.values else ""
    people = Scope.of(request.user, Cap.EXPORT_PEOPLE).people(
        queries.roster(request.user, organisation=org, q=q, status=status)
    )
    full = request.GET.get("full") == "1"
    if full:
        # Full numbers only when the viewer may see every exported person's personal data.
        personal = Scope.of(request.user, Cap.VIEW_PERSONAL)
        if people.exclude(pk__in=personal.people().values("pk")).exists():
            raise PermissionDenied("您无权导出其中部分人员的完整个人信息。")
    count = people.count()
    filters = {"org": org.pk if org else None, "q": q, "political_status": status}  # read by its choices
    record(
        request.user,
        actions.PEOPLE_EXPORT_FULL if full else actions.PEOPLE_EXPORT,
        object_type="accounts.person",
        after={"count": count, "filters": filters},
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return _attachment(exports.roster_workbook(people, full=full), f"花名册-{clock.today():%Y%m%d}.xlsx")
