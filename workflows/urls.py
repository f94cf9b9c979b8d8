from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:task_state_id>/sammenlign/", views.compare, name="compare"),
    path("historikk/<int:page_id>/", views.history, name="history"),
    path("varsler/", views.notifications, name="notifications"),
    path("varsler/<int:notification_id>/", views.notification_open, name="notification_open"),
    path("varsler/lest/", views.notifications_read, name="notifications_read"),
]
