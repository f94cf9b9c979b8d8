from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import health as core_health
from portal.core import members as core_members
from portal.core import views as core_views
from portal.core.api import api_router
from portal.hearings.feeds import HearingFeed
from portal.organisations.feeds import OrganisationFeed

handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", core_views.sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt),
    path("ping/", core_views.ping, name="ping"),
    path("ready/", core_health.ready, name="ready"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("portal.security.urls")),
    # The link in an invitation e-mail (organisations, councils): sign in and accept.
    path("invitasjon/<str:token>/", core_members.accept_invitation, name="invitation_accept"),
    path("moter/", include("portal.meetings.urls")),
    path("kurs/", include("portal.training.urls")),
    path("apne-data/", core_views.open_data, name="open_data"),
    path("strommer/horing/<int:hearing_id>.atom", HearingFeed(), name="hearing_atom"),
    path("strommer/organisasjon/<int:organisation_id>.atom", OrganisationFeed(), name="organisation_atom"),
    path("arbeidsflyt/", include("workflows.urls")),
    path("arbeidsrom/utkast/", include("portal.editor.urls")),
    path("arbeidsrom/", include("portal.workspace.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
