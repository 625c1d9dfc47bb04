from django.urls import path

app_name = "lights"
urlpatterns: list = []
