from django.urls import path

from onestop.org import views

app_name = "org"
urlpatterns = [
    path("", views.organisation, name="organisation"),
]
