from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_read, name="mark_read"),
    path("todos/", views.todos, name="todos"),
    path("todos/<int:task_id>/done/", views.complete, name="complete"),
    path("preferences/", views.preferences, name="preferences"),
]
