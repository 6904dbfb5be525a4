from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<str:section>/", views.section, name="section"),
    path("healthz", views.healthz, name="healthz"),
    path("office/", views.office, name="office"),
    path("settings/", views.settings_page, name="settings"),
]
