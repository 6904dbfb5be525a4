from django.urls import path

from . import views

app_name = "quiz"
urlpatterns = [
    path("", views.index, name="index"),
    path("daily/", views.daily, name="daily"),
    path("daily/<int:item_id>/", views.daily_answer, name="daily_answer"),
    path("mistakes/", views.mistakes, name="mistakes"),
    path("mistakes/<int:mistake_id>/", views.mistake, name="mistake"),
    path("challenge/", views.challenge, name="challenge"),
    path("challenge/answer/", views.challenge_answer, name="challenge_answer"),
    path("contests/", views.contests, name="contests"),
    path("contests/<int:pk>/", views.contest, name="contest"),
    path("contests/<int:pk>/play/", views.play, name="play"),
    path("contests/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("contests/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("live/", views.live_join, name="live_join"),
    path("live/<int:pk>/", views.live, name="live"),
    path("live/<int:pk>/state/", views.live_state, name="live_state"),
    path("live/<int:pk>/answer/", views.live_answer, name="live_answer"),
    path("live/<int:pk>/host/", views.host, name="host"),
    path("live/<int:pk>/host/next/", views.host_action, {"action": "next"}, name="host_next"),
    path("live/<int:pk>/host/reveal/", views.host_action, {"action": "reveal"}, name="host_reveal"),
    path("live/<int:pk>/host/finish/", views.host_action, {"action": "finish"}, name="host_finish"),
    path("live/<int:pk>/qr.svg", views.live_qr, name="live_qr"),
    path("office/", views.office, name="office"),
    path("office/questions/new/", views.question_new, name="question_new"),
    path("office/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("office/questions/<int:question_id>/withdraw/", views.question_withdraw, name="question_withdraw"),
    path("office/import/", views.bank_import, name="import"),
    path("office/import/template.xlsx", views.import_template, name="import_template"),
    path("office/export.xlsx", views.bank_export, name="export"),
    path("office/contests/", views.office_contests, name="office_contests"),
    path("office/contests/new/", views.contest_new, name="contest_new"),
    path("office/contests/<int:pk>/", views.manage, name="manage"),
    path("office/contests/<int:pk>/export.xlsx", views.ranking_export, name="ranking_export"),
]
