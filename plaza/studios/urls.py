from django.urls import path

from . import views

app_name = "studios"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_studio, name="new"),
    path("<int:studio_id>/", views.studio, name="studio"),
    path("<int:studio_id>/members/new/", views.add_member, name="add_member"),
    path("<int:studio_id>/achievements/new/", views.add_achievement, name="add_achievement"),
    path("evidence/<int:achievement_id>/", views.evidence, name="evidence"),
    path("crafts/", views.crafts, name="crafts"),
    path("crafts/new/", views.new_craft, name="new_craft"),
    path("crafts/<int:craft_id>/", views.craft, name="craft"),
    path("pictures/<int:picture_id>/", views.picture, name="picture"),
    path("honours/", views.honours, name="honours"),
    path("honours/new/", views.new_honour, name="new_honour"),
    path("honours/person/<int:person_id>/", views.person_honours, name="person"),
    path("honours/organisation/<int:organisation_id>/", views.organisation_honours, name="organisation"),
    path("pairs/", views.pairs, name="pairs"),
    path("pairs/new/", views.new_pair, name="new_pair"),
    path("pairs/stats/", views.stats, name="stats"),
    path("pairs/<int:pair_id>/", views.pair, name="pair"),
    path("pairs/<int:pair_id>/finish/", views.finish, name="finish"),
    path("pairs/<int:pair_id>/skills/<int:skill_id>/sign/", views.sign, name="sign"),
    path("pairs/<int:pair_id>/skills/<int:skill_id>/refuse/", views.refuse, name="refuse"),
]
