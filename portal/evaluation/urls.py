from django.urls import path

from portal.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("simpan/", views.save, name="save"),
    path("tandatangani/", views.sign, name="sign"),
    path("unduh/", views.xlsx, name="xlsx"),
    path("<int:pk>/berkas/", views.signed_pdf, name="signed_pdf"),
]
