from django.urls import path

from . import import_views, views

app_name = "orgs"
urlpatterns = [
    path("mine/", views.my_organisation, name="mine"),
    path("tree/", views.tree, name="tree"),
    path("tree/<int:org_id>/", views.tree, name="tree_node"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/reveal/", views.reveal, name="reveal"),
    path("stats/", views.stats, name="stats"),
    path("import/", import_views.import_page, name="import"),
    path("import/template/<str:kind>/", import_views.import_template, name="import_template"),
    path("export/", import_views.export, name="export"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/status/", views.person_status, name="person_status"),
    path("people/<int:person_id>/move/", views.person_move, name="person_move"),
    path("tree/<int:org_id>/add/", views.org_add_child, name="org_add"),
    path("tree/<int:org_id>/appoint/", views.org_appoint, name="org_appoint"),
    path("positions/<int:position_id>/end/", views.position_end, name="position_end"),
]
