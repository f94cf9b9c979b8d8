from django.urls import path

from . import views

app_name = "workspace"

# The response editor lives beside these, under /arbeidsrom/utkast/<id>/ (portal.editor).
urlpatterns = [
    path("", views.home, name="home"),
]
