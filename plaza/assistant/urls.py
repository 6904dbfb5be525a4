from django.urls import path

from . import views

app_name = "assistant"
urlpatterns = [
    path("", views.index, name="index"),
    path("question/<int:question_id>/", views.question, name="question"),
    path("question/<int:question_id>/feedback/", views.feedback, name="feedback"),
    path("question/<int:question_id>/hand-off/", views.hand_off, name="hand_off"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("office/", views.office, name="office"),
    path("office/queue/", views.queue, name="queue"),
    path("office/report/", views.report, name="report"),
    path("office/examples/", views.examples, name="examples"),
    path("office/examples/<int:example_id>/remove/", views.remove_example, name="remove_example"),
    path("office/documents/<int:document_id>/publish/", views.publish, name="publish"),
    path("office/question/<int:question_id>/", views.staff_question, name="staff_question"),
    path("office/question/<int:question_id>/faq/", views.make_faq, name="make_faq"),
]
