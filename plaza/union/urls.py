from django.urls import path

from . import views

app_name = "union"
urlpatterns = [
    path("", views.index, name="index"),
    path("join/", views.join, name="join"),
    path("leave/", views.leave, name="leave"),
    path("card/", views.card, name="card"),
    path("card/qr.svg", views.card_qr, name="card_qr"),
    path("care/", views.care, name="care"),
    path("care/<int:case_id>/", views.care_case, name="care_case"),
    path("care/<int:case_id>/photo/", views.case_photo, name="case_photo"),
    path("care/<int:case_id>/document/", views.case_document, name="case_document"),
    path("help/", views.help_index, name="help"),
    path("help/<int:application_id>/document/", views.help_document, name="help_document"),
    path("office/", views.office, name="office"),
    path("office/members/", views.office_members, name="office_members"),
    path("office/members/<int:member_id>/", views.office_member, name="office_member"),
    path("office/card/<str:number>/", views.office_card, name="office_card"),
    path("office/dues/", views.office_dues, name="office_dues"),
    path("office/dues/import/", views.office_wages_import, name="office_wages_import"),
    path("office/care/", views.office_care, name="office_care"),
    path("office/care/<int:case_id>/", views.office_case, name="office_case"),
    path("office/care/import/", views.office_events_import, name="office_events_import"),
    path("office/payments/", views.office_payments, name="office_payments"),
    path("office/festivals/", views.office_festivals, name="office_festivals"),
    path("office/provisions/", views.office_provisions, name="office_provisions"),
    path("office/help/", views.office_help, name="office_help"),
    path("office/help/files/new/", views.office_file_new, name="office_file_new"),
    path("office/help/files/<int:file_id>/", views.office_file, name="office_file"),
    path(
        "office/help/applications/<int:application_id>/", views.office_help_application, name="office_help_application"
    ),
]
