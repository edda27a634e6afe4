"""The portal's own pages: the start page, logging in and out, and what every SOP app's record page shares."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The workflow panel of every SOP app posts here; the record is fetched through portal.access.
    path("layanan/<slug:app>/<int:pk>/lampiran/", views.attachment_upload, name="attachment_upload"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("layanan/<slug:app>/<int:pk>/log-akses/", views.access_log, name="access_log"),
]
