from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:activity_id>/", views.detail, name="detail"),
    path("<int:activity_id>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:activity_id>/cancel/", views.cancel, name="cancel"),
    path("<int:activity_id>/check-in/", views.check_in, name="check_in"),
    path("photo/<int:photo_id>/", views.photo, name="photo"),
    path("office/", views.office, name="office"),
    path("office/new/", views.new, name="new"),
    path("office/stats/", views.stats, name="stats"),
    path("office/<int:activity_id>/", views.manage, name="manage"),
    path("office/<int:activity_id>/edit/", views.edit, name="edit"),
    path("office/<int:activity_id>/close/", views.close, name="close"),
    path("office/<int:activity_id>/cancel/", views.cancel_activity, name="cancel_activity"),
    path("office/<int:activity_id>/report/", views.report, name="report"),
    path("office/<int:activity_id>/photo/", views.add_photo, name="add_photo"),
    path("office/<int:activity_id>/export/", views.export, name="export"),
    path("office/<int:activity_id>/qr/", views.qr, name="qr"),
    path("office/<int:activity_id>/qr/code/", views.qr_code, name="qr_code"),
    path("office/signup/<int:signup_id>/check-in/", views.hand_check_in, name="hand_check_in"),
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.new_partner, name="new_partner"),
    path("partners/<int:partner_id>/", views.partner, name="partner"),
    path("partners/<int:partner_id>/edit/", views.edit_partner, name="edit_partner"),
    path("partners/contact/<int:contact_id>/phone/", views.reveal_phone, name="reveal_phone"),
    path("partners/contact/<int:contact_id>/remove/", views.remove_contact, name="remove_contact"),
]
