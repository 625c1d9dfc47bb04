from django.urls import path

app_name = "worktime"
urlpatterns: list = []
