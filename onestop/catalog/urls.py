from django.urls import path

from onestop.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("matters/<str:code>/", views.matter, name="matter"),
    path("bundles/<str:code>/", views.bundle, name="bundle"),
    path("import/", views.import_page, name="import"),
]
