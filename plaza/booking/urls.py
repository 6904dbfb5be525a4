from django.urls import path

from . import views

app_name = "booking"
urlpatterns = [
    path("", views.index, name="index"),
    path("service/<int:service_id>/", views.service, name="service"),
    path("<int:booking_id>/", views.detail, name="detail"),
    path("<int:booking_id>/code.svg", views.code_svg, name="code_svg"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/move/", views.move, name="move"),
    path("<int:booking_id>/rate/", views.rate, name="rate"),
    path("office/", views.office, name="office"),
    path("office/new/", views.new_service, name="new_service"),
    path("office/check-in/", views.check_in, name="check_in"),
    path("office/stats/", views.stats, name="stats"),
    path("office/service/<int:service_id>/", views.manage, name="manage"),
    path("office/service/<int:service_id>/edit/", views.edit_service, name="edit_service"),
    path("office/service/<int:service_id>/hours/", views.hours, name="hours"),
    path("office/service/<int:service_id>/closed/", views.closed_days, name="closed_days"),
    path("office/service/<int:service_id>/queue/", views.queue, name="queue"),
    path("office/booking/<int:booking_id>/check-in/", views.handle, {"action": "check-in"}, name="handle_check_in"),
    path("office/booking/<int:booking_id>/done/", views.handle, {"action": "done"}, name="handle_done"),
    path("office/booking/<int:booking_id>/no-show/", views.handle, {"action": "no-show"}, name="handle_no_show"),
]
