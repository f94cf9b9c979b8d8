from django.urls import include, path

from . import views

app_name = "training"

# One course's pages, and one council's (the secretary's table, a new course, the cost export).
course_patterns = [
    path("", views.course_detail, name="course"),
    path("deltakere/", views.participants, name="participants"),
    path("evaluering/", views.evaluate, name="evaluate"),
]
council_patterns = [
    path("", views.council_training, name="council"),
    path("nytt-kurs/", views.course_new, name="course_new"),
    path("kostnader/", views.costs_export, name="costs"),
]

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("<int:course_id>/", include(course_patterns)),
    path("utvalg/<int:council_id>/", include(council_patterns)),
]
