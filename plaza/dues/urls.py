from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/certificate.pdf", views.my_certificate, name="my_certificate"),
    path("import/", views.import_page, name="import"),
    path("stats/", views.stats, name="stats"),
    path("org/<int:org_id>/", views.roll, name="roll"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/base/", views.base, name="base"),
    path("person/<int:person_id>/extra/", views.extra, name="extra"),
    path("person/<int:person_id>/reduction/", views.reduction, name="reduction"),
    path("person/<int:person_id>/correct/", views.correct, name="correct"),
    path("person/<int:person_id>/certificate.pdf", views.certificate, name="certificate"),
]
