from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("mine/", views.my_organisation, name="mine"),
    path("tree/", views.tree, name="tree"),
    path("tree/<int:org_id>/", views.tree, name="tree_node"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/reveal/", views.reveal, name="reveal"),
    path("stats/", views.stats, name="stats"),
]
