from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("start/", views.start, name="start"),
    path("letter/", views.issue_letter, name="letter"),
    path("incoming/", views.incoming, name="incoming"),
    path("lost/", views.lost, name="lost"),
    path("lost/<int:person_id>/contact/", views.contact, name="contact"),
    path("verify/", views.verify, name="verify"),
    path("<int:transfer_id>/", views.detail, name="detail"),
    path("<int:transfer_id>/accept/", views.accept, name="accept"),
    path("<int:transfer_id>/decline/", views.decline, name="decline"),
    path("<int:transfer_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:transfer_id>/receipt/", views.receipt, name="receipt"),
    path("<int:transfer_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
]
