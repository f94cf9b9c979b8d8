from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("<int:course_id>/", views.course_detail, name="course"),
    path("<int:course_id>/deltakere/", views.participants, name="participants"),
    path("<int:course_id>/evaluering/", views.evaluate, name="evaluate"),
    path("utvalg/<int:council_id>/", views.council_training, name="council"),
    path("utvalg/<int:council_id>/nytt-kurs/", views.course_new, name="course_new"),
    path("utvalg/<int:council_id>/kostnader/", views.costs_export, name="costs"),
]
