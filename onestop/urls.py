from django.contrib import admin
from django.urls import include, path

from onestop.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalog/", include("onestop.catalog.urls")),
    path("enterprises/", include("onestop.enterprises.urls")),
    path("worktime/", include("onestop.worktime.urls")),
    path("org/", include("onestop.org.urls")),
    path("seals/", include("onestop.seals.urls")),
    path("approvals/", include("onestop.approvals.urls")),
    path("stewards/", include("onestop.stewards.urls")),
    path("feedback/", include("onestop.feedback.urls")),
    path("outreach/", include("onestop.outreach.urls")),
    path("lights/", include("onestop.lights.urls")),
    path("stats/", include("onestop.stats.urls")),
    path("", include("onestop.web.urls")),
]
