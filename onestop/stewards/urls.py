from django.urls import path

app_name = "stewards"
urlpatterns: list = []
