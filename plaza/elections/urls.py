from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("org/<int:org_id>/new/", views.create, name="create"),
    path("org/<int:org_id>/term/", views.term, name="term"),
    path("org/<int:org_id>/request/", views.term_request, name="term_request"),
    path("<int:election_id>/", views.detail, name="detail"),
    path("<int:election_id>/nominate/", views.nominate, name="nominate"),
    path("<int:election_id>/candidates/<int:candidate_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:election_id>/request/", views.request_approval, name="request"),
    path("<int:election_id>/request.pdf", views.request_pdf, name="request_pdf"),
    path("<int:election_id>/decide/", views.decide, name="decide"),
    path("<int:election_id>/open/", views.open_voting, name="open"),
    path("<int:election_id>/close/", views.close_voting, name="close"),
    path("<int:election_id>/ballots.pdf", views.ballots_pdf, name="ballots_pdf"),
    path("<int:election_id>/vote/", views.vote, name="vote"),
    path("<int:election_id>/count/", views.count, name="count"),
    path("<int:election_id>/receipts/", views.receipts, name="receipts"),
    path("<int:election_id>/report/", views.report, name="report"),
    path("<int:election_id>/confirm/", views.confirm, name="confirm"),
]
