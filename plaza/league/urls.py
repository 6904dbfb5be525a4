from django.urls import path

from . import views

app_name = "league"
urlpatterns = [
    path("", views.index, name="index"),
    path("office/", views.office, name="office"),
    path("roster/", views.roster, name="roster"),
    path("roster.xlsx", views.roster_export, name="roster_export"),
    path("dues/", views.dues, name="dues"),
    path("compliance/", views.compliance, name="compliance"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/new/", views.recommend, name="recommend"),
    path("recommendations/<int:recommendation_id>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:recommendation_id>/withdraw/", views.withdraw, name="withdraw"),
]
