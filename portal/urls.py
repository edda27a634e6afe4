from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The workflow panel of every SOP app posts here; the record is fetched through portal.access.
    path("layanan/<slug:app>/<int:pk>/langkah/", views.record_transition, name="record_transition"),
    path("layanan/<slug:app>/<int:pk>/lampiran/", views.attachment_upload, name="attachment_upload"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("p2tp2a/", include("cases.urls")),
    path("alokon/", include("alokon.urls")),
    path("identitas/", include("identitas.urls")),
    path("admin/", admin.site.urls),
    # Published for everyone, without login (UU 25/2009).
    path("publik/", include("publications.urls")),
]
