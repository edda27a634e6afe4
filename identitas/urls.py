"""PPKS identity facilitation pages. A facilitation is named by its id and number only: nothing in a URL names a
person, and a search by name or NIK is posted, never put in a query string."""

from django.urls import path

from identitas import views

app_name = "identitas"

urlpatterns = [
    path("", views.register, name="register"),
    path("<slug:service>/baru/", views.create, name="create"),
    # The facilitation's page, where its step is taken; its access log is portal's ("access_log").
    path("fasilitasi/<int:pk>/", views.detail, name="detail"),
    path("fasilitasi/<int:pk>/identitas/", views.identity_edit, name="identity_edit"),
    path("fasilitasi/<int:pk>/persyaratan/kesampingkan/", views.requirement_waive, name="requirement_waive"),
    path("fasilitasi/<int:pk>/disdukcapil/mulai/", views.wait_start, name="wait_start"),
    path("fasilitasi/<int:pk>/disdukcapil/selesai/", views.wait_end, name="wait_end"),
    path("fasilitasi/<int:pk>/dokumen/", views.document_add, name="document_add"),
    path("fasilitasi/<int:pk>/tindak-lanjut/", views.follow_up, name="follow_up"),
    # Printed documents: named by the facilitation's number, never by the person. The result report is made off
    # the request: identitas.documents.DOWNLOADS, asked at portal.downloads' address.
    path("fasilitasi/<int:pk>/surat-jawaban.pdf", views.decline_letter_pdf, name="decline_letter_pdf"),
    # The quarterly performance evaluation, for the leadership (identitas.evaluation).
    path("evaluasi/", views.evaluation_page, name="evaluation"),
    path("evaluasi/evaluasi.pdf", views.evaluation_pdf, name="evaluation_pdf"),
]
