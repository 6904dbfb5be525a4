from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("required/", views.required, name="required"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("articles/<int:article_id>/read/", views.read, name="read"),
    path("articles/<int:article_id>/files/<int:file_id>/", views.article_file, name="article_file"),
    path("resources/", views.resources, name="resources"),
    path("resources/<int:resource_id>/download/", views.download, name="download"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/items/<int:plan_item_id>/done/", views.tick, name="tick"),
    path("office/", views.office, name="office"),
    path("office/articles/new/", views.article_form, name="article_new"),
    path("office/articles/<int:article_id>/", views.article_form, name="article_edit"),
    path("office/articles/<int:article_id>/completion/", views.completion, name="completion"),
    path("office/articles/<int:article_id>/withdraw/", views.withdraw, name="withdraw"),
    path("office/resources/", views.office_resources, name="office_resources"),
    path("office/resources/new/", views.resource_form, name="resource_new"),
    path("office/resources/<int:resource_id>/", views.resource_form, name="resource_edit"),
    path("office/resources/<int:resource_id>/withdraw/", views.withdraw_resource, name="withdraw_resource"),
    path("office/plans/", views.office_plans, name="office_plans"),
    path("office/plans/new/", views.plan_form, name="plan_new"),
    path("office/plans/<int:plan_id>/", views.plan_form, name="plan_edit"),
    path("office/plans/<int:plan_id>/withdraw/", views.withdraw_plan, name="withdraw_plan"),
    path("office/plans/<int:plan_id>/items/new/", views.item_form, name="item_new"),
    path("office/plans/<int:plan_id>/progress/", views.plan_progress, name="plan_progress"),
]
