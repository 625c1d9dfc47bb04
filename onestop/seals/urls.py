from django.urls import path

app_name = "seals"
urlpatterns: list = []
