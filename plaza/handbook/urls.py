from django.urls import path

from . import views

app_name = "handbook"
urlpatterns = [
    path("recruitment/", views.recruitment_guide, name="recruitment"),
    path("rules/", views.rulebook, name="rules"),
    path("dues/", views.dues_calculator, name="dues"),
]
