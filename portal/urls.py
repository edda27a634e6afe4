from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Published for everyone, without login (UU 25/2009).
    path("publik/", views.public_index, name="public_index"),
    path("publik/layanan/<slug:slug>/", views.public_standard, name="public_standard"),
    path("publik/layanan/<slug:slug>/standar.pdf", views.public_standard_pdf, name="public_standard_pdf"),
    path("publik/layanan/<slug:slug>/sop/", views.public_sop, name="public_sop"),
    path("publik/layanan/<slug:slug>/sop.pdf", views.public_sop_pdf, name="public_sop_pdf"),
    path("publik/keputusan/<int:pk>/", views.public_decree, name="public_decree"),
    path("publik/keputusan/<int:pk>.pdf", views.public_decree_pdf, name="public_decree_pdf"),
]
