from django.urls import path

from . import views

app_name = "vanguard"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_project, name="new"),
    path("board/", views.board, name="board"),
    path("stats/", views.stats, name="stats"),
    path("<int:project_id>/", views.project, name="project"),
    path("<int:project_id>/targets/new/", views.add_target, name="add_target"),
    path("<int:project_id>/members/new/", views.add_member, name="add_member"),
    path("<int:project_id>/milestones/new/", views.add_milestone, name="add_milestone"),
    path("<int:project_id>/milestones/<int:milestone_id>/done/", views.complete_milestone, name="milestone_done"),
    path("<int:project_id>/milestones/<int:milestone_id>/urge/", views.urge_milestone, name="milestone_urge"),
    path("<int:project_id>/risks/new/", views.add_risk, name="add_risk"),
    path("<int:project_id>/progress/new/", views.log_progress, name="log_progress"),
    path("<int:project_id>/documents/new/", views.add_document, name="add_document"),
    path("<int:project_id>/documents/<int:document_id>/", views.document, name="document"),
    path("<int:project_id>/submit/", views.submit, name="submit"),
    path("<int:project_id>/review/", views.review, name="review"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.new_post, name="new_post"),
    path("posts/<int:post_id>/", views.post, name="post"),
]
