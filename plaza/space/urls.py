from django.urls import path

from . import views

app_name = "space"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:space_id>/", views.space, name="space"),
    path("<int:space_id>/new/", views.new_post, name="new_post"),
    path("<int:space_id>/name/", views.display_name, name="display_name"),
    path("post/<int:post_id>/", views.post, name="post"),
    path("post/<int:post_id>/like/", views.like, name="like"),
    path("post/<int:post_id>/comment/", views.comment, name="comment"),
    path("post/<int:post_id>/report/", views.report, name="report"),
    path("post/<int:post_id>/delete/", views.delete, name="delete"),
    path("post/<int:post_id>/pin/", views.pin, name="pin"),
    path("picture/<int:picture_id>/", views.picture, name="picture"),
    path("office/", views.office, name="office"),
    path("office/decide/<int:post_id>/", views.decide, name="decide"),
    path("office/words/", views.words, name="words"),
    path("office/words/<int:word_id>/delete/", views.delete_word, name="delete_word"),
    path("office/space/<int:space_id>/", views.settings, name="settings"),
    path("office/space/new/", views.new_space, name="new_space"),
    path("office/words.xlsx", views.words_export, name="words_export"),
    path("office/decisions.xlsx", views.decisions_export, name="decisions_export"),
]
