from django.urls import path

from . import views

app_name = "editor"

urlpatterns = [
    path("<int:page_id>/", views.edit, name="edit"),
    path("<int:page_id>/godkjenning/", views.review, name="review"),
    path("<int:page_id>/kommentarer/", views.comment, name="comment"),
    path("<int:page_id>/kommentarer/<int:comment_id>/status/", views.comment_resolve, name="comment_resolve"),
    path("<int:page_id>/tilstede/", views.presence, name="presence"),
    path("<int:page_id>/endringer/", views.diff_preview, name="diff"),
    path("nytt-standpunkt/<int:space_id>/", views.start_position_paper, name="start_position_paper"),
]
