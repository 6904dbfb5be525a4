"""Benchmark-only URLs, included by ``plaza/urls.py`` when the environment has ``PLAZA_BENCH=1``."""

from django.urls import path

from . import views

app_name = "demo"
urlpatterns = [
    path("bare", views.bare, name="bare"),
]
