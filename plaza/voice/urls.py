from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:item_id>/", views.mine, name="mine"),
    path("public/", views.wall, name="wall"),
    path("public/<int:item_id>/", views.public, name="public"),
    path("photo/<int:photo_id>/", views.photo, name="photo"),
    path("office/", views.office, name="office"),
    path("office/<int:item_id>/", views.handle, name="handle"),
    path("office/<int:item_id>/submitter/", views.identity, name="identity"),
    path("office/raised/", views.raised, name="raised"),
    path("office/report/", views.report, name="report"),
    path("office/categories/", views.categories, name="categories"),
    path("office/categories/<int:category_id>/", views.edit_category, name="edit_category"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/congress/<int:congress_id>/", views.congress, name="congress"),
    path("proposals/congress/<int:congress_id>/new/", views.new_proposal, name="new_proposal"),
    path("proposals/<int:proposal_id>/", views.proposal, name="proposal"),
    path("office/congresses/", views.congresses, name="congresses"),
    path("office/proposals/yearly/", views.yearly, name="yearly"),
]
