from django.urls import path

from onestop.seals import views

app_name = "seals"
urlpatterns = [
    path("verify", views.verify_page, name="verify"),
    path("ca.crl", views.ca_crl, name="ca_crl"),
    path("ca.pem", views.ca_pem, name="ca_pem"),
    path("tsa", views.tsa_endpoint, name="tsa"),
    path("batches/new", views.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", views.batch_page, name="batch"),
    path("batches/<int:batch_id>/zip", views.batch_zip, name="batch_zip"),
    path("batches/<int:batch_id>/failures.csv", views.batch_failures_csv, name="batch_failures"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="document_pdf"),
    path("<int:seal_id>/uses.csv", views.uses_csv, name="uses_csv"),
    path("personnel/", views.personnel_page, name="personnel"),
    path("manage/", views.manage_page, name="manage"),
]
