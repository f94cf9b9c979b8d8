from django.urls import path

from . import feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("kalender.ics", feeds.calendar, name="calendar"),
    path("referater.atom", feeds.MinutesFeed(), name="atom"),
    path("utvalg/<int:council_id>/kalender.ics", feeds.calendar, name="council_calendar"),
    path("utvalg/<int:council_id>/referater.atom", feeds.MinutesFeed(), name="council_atom"),
    path("utvalg/<int:council_id>/henviste-saker/", views.council_referrals, name="referrals"),
    path("mote/<int:meeting_id>/referat/", views.minutes_manage, name="minutes"),
    path("mote/<int:meeting_id>/referat.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("sak/<int:item_id>/", views.case_trail, name="case"),
    path("sak/<int:item_id>/henvis/", views.refer_case, name="refer"),
]
