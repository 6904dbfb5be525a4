from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("report/", views.committee, name="committee"),
    path("stats/", views.stats, name="stats"),
    path("org/<int:org_id>/new/", views.create, name="create"),
    path("<int:campaign_id>/", views.detail, name="detail"),
    path("<int:campaign_id>/edit/", views.edit, name="edit"),
    path("<int:campaign_id>/invite/", views.invite, name="invite"),
    path("<int:campaign_id>/open/", views.open_campaign, name="open"),
    path("<int:campaign_id>/close/", views.close_campaign, name="close"),
    path("<int:campaign_id>/self/", views.self_evaluation, name="self"),
    path("<int:campaign_id>/sheet/", views.sheet, name="sheet"),
    path("<int:campaign_id>/decide/", views.decide, name="decide"),
    path("<int:campaign_id>/report/", views.report, name="report"),
    path("materials/<int:material_id>/", views.material, name="material"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up, name="follow_up"),
]
