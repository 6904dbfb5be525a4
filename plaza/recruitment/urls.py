from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.people, name="list"),
    path("mine/", views.mine, name="mine"),
    path("mine/report/", views.report, name="report"),
    path("apply/", views.apply, name="apply"),
    path("<int:pipeline_id>/extend-approval/", views.extend_approval, name="extend_approval"),
    path("<int:pipeline_id>/leaving/", views.set_leaving, name="leaving"),
    path("meeting/<int:branch_id>/<int:step>/", views.meeting, name="meeting"),
    path("reports/<int:report_id>/review/", views.review, name="review"),
    path("stats/", views.stats, name="stats"),
    path("overrides/", views.overrides, name="overrides"),
    path("plans/", views.plans, name="plans"),
    path("import/", views.import_page, name="import"),
    path("new/", views.open_pipeline, name="open"),
    path("<int:pipeline_id>/", views.detail, name="detail"),
    path("<int:pipeline_id>/step/<int:step>/", views.record_step, name="record"),
    path("<int:pipeline_id>/file.pdf", views.file_pdf, name="pdf"),
    path("documents/<int:record_id>/", views.document, name="document"),
]
