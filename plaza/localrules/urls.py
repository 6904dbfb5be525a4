from django.urls import path

from . import views

app_name = "localrules"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:org_id>/", views.organisation, name="organisation"),
    path("<int:org_id>/<str:key>/", views.set_rule, name="set"),
    path("<int:org_id>/<str:key>/clear/", views.clear_rule, name="clear"),
]
