from django.urls import path

from . import views

app_name = "ambassadors"
urlpatterns = [
    path("", views.index, name="index"),
    path("products/<int:product_id>/", views.product, name="product"),
    path("products/<int:product_id>/poster.png", views.poster_image, name="poster"),
    path("leads/", views.my_leads, name="my_leads"),
    path("rankings/", views.rankings, name="rankings"),
    path("s/<str:code>/", views.landing, name="landing"),
    path("hooks/<str:dealer_code>/", views.webhook, name="webhook"),
    path("dealer/", views.dealer_home, name="dealer"),
    path("dealer/leads/<int:lead_id>/", views.dealer_lead, name="dealer_lead"),
    path("office/", views.office, name="office"),
    path("office/products/new/", views.product_edit, name="product_new"),
    path("office/products/<int:product_id>/", views.product_edit, name="product_edit"),
    path("office/campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("office/campaigns/<int:campaign_id>/", views.campaign_edit, name="campaign_edit"),
    path("office/settings/", views.programme_edit, name="programme"),
    path("office/dealers/new/", views.dealer_edit, name="dealer_new"),
    path("office/dealers/<int:dealer_id>/", views.dealer_detail, name="dealer_detail"),
    path("office/dealers/<int:dealer_id>/edit/", views.dealer_edit, name="dealer_edit"),
    path("office/leads/", views.staff_leads, name="staff_leads"),
    path("office/ambassadors/", views.ambassadors, name="ambassadors"),
    path("office/funnel/", views.funnel, name="funnel"),
]
