from django.urls import path

from portal.guarantee import views

app_name = "guarantee"
urlpatterns = [
    path("", views.register, name="register"),
    path("cetak/", views.register_pdf, name="register_pdf"),
    path("<str:app>/<int:pk>/alasan/", views.reason, name="reason"),
    path("<str:app>/<int:pk>/kompensasi/", views.decision, name="decision"),
]
