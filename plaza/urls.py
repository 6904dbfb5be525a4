import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from plaza.api.api import api

admin.site.site_header = "党群服务广场 · 管理后台"
admin.site.site_title = "党群服务广场"

urlpatterns = [
    path("", include("plaza.core.urls")),
    path("accounts/", include("plaza.accounts.urls")),
    path("orgs/", include("plaza.orgs.urls")),
    path("notify/", include("plaza.notify.urls")),
    path("handbook/", include("plaza.handbook.urls")),
    path("recruitment/", include("plaza.recruitment.urls")),
    path("meetings/", include("plaza.meetings.urls")),
    path("elections/", include("plaza.elections.urls")),
    path("evaluation/", include("plaza.evaluation.urls")),
    path("dues/", include("plaza.dues.urls")),
    path("transfers/", include("plaza.transfers.urls")),
    path("booking/", include("plaza.booking.urls")),
    path("points/", include("plaza.points.urls")),
    path("assistant/", include("plaza.assistant.urls")),
    path("learning/", include("plaza.learning.urls")),
    path("local-rules/", include("plaza.localrules.urls")),
    path("quiz/", include("plaza.quiz.urls")),
    path("voice/", include("plaza.voice.urls")),
    path("space/", include("plaza.space.urls")),
    path("activities/", include("plaza.activities.urls")),
    path("ambassadors/", include("plaza.ambassadors.urls")),
    path("union/", include("plaza.union.urls")),
    path("league/", include("plaza.league.urls")),
    path("vanguard/", include("plaza.vanguard.urls")),
    path("studios/", include("plaza.studios.urls")),
    path("retreats/", include("plaza.retreats.urls")),
    path("office/audit/", include("plaza.audit.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if getattr(settings, "OIDC_RP_CLIENT_ID", ""):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

if os.environ.get("PLAZA_BENCH") == "1":  # benchmarks/bench_home_roster.py: a bare view to compare with
    urlpatterns.append(path("_bench/", include("plaza.demo.urls")))
