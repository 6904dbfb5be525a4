from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("compliance/", views.compliance, name="compliance"),
    path("org/<int:org_id>/", views.organisation, name="organisation"),
    path("org/<int:org_id>/new/", views.plan, name="plan"),
    path("org/<int:org_id>/series/", views.series, name="series"),
    path("org/<int:org_id>/rates/", views.rates, name="rates"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/qr/", views.qr, name="qr"),
    path("<int:meeting_id>/qr/code/", views.qr_code, name="qr_code"),
    path("<int:meeting_id>/sign-in/", views.sign_in, name="sign_in"),
    path("<int:meeting_id>/leave/", views.leave, name="leave"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/makeup/", views.makeup, name="makeup"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/change/", views.change, name="change"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes/approve/", views.approve, name="approve"),
    path("<int:meeting_id>/resolution/", views.resolution, name="resolution"),
    path("<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="pdf"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
