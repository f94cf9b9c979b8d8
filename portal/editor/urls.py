from django.urls import include, path

from . import views

app_name = "editor"

# Everything about one draft hangs below its page id.
draft_patterns = [
    path("", views.edit, name="edit"),
    path("godkjenning/", views.review, name="review"),
    path("kommentarer/", views.comment, name="comment"),
    path("kommentarer/<int:comment_id>/status/", views.comment_resolve, name="comment_resolve"),
    path("tilstede/", views.presence, name="presence"),
    path("endringer/", views.diff_preview, name="diff"),
]

urlpatterns = [
    path("<int:page_id>/", include(draft_patterns)),
    path("nytt-standpunkt/<int:space_id>/", views.start_position_paper, name="start_position_paper"),
]
