from django.urls import path

from . import views

app_name = "retreats"
urlpatterns = [
    path("", views.index, name="index"),
    path("batch/<int:batch_id>/", views.batch, name="batch"),
    path("signup/<int:signup_id>/withdraw/", views.withdraw, name="withdraw"),
    path("signup/<int:signup_id>/leave-note.pdf", views.leave_note, name="leave_note"),
    path("signup/<int:signup_id>/feedback/", views.feedback, name="feedback"),
    path("office/", views.office, name="office"),
    path("office/quota/", views.quota, name="quota"),
    path("office/routes/new/", views.new_route, name="new_route"),
    path("office/routes/<int:route_id>/batches/new/", views.new_batch, name="new_batch"),
    path("office/batch/<int:batch_id>/", views.manage, name="manage"),
    path("office/batch/<int:batch_id>/list.xlsx", views.export, name="export"),
]
