from django.urls import path

from publications import views

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("layanan/<slug:slug>/", views.public_standard, name="public_standard"),
    path("layanan/<slug:slug>/standar.pdf", views.public_standard_pdf, name="public_standard_pdf"),
    path("layanan/<slug:slug>/sop/", views.public_sop, name="public_sop"),
    path("layanan/<slug:slug>/sop.pdf", views.public_sop_pdf, name="public_sop_pdf"),
    path("keputusan/<int:pk>/", views.public_decree, name="public_decree"),
    path("keputusan/<int:pk>.pdf", views.public_decree_pdf, name="public_decree_pdf"),
    path("logo/<slug:code>/", views.public_logo, name="public_logo"),
]
