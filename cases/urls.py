"""P2TP2A pages. A case is named by its id and number only: nothing in a URL names a person."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.register, name="register"),
    path("<slug:service>/baru/", views.create, name="create"),
    path("kasus/<int:pk>/", views.detail, name="detail"),
    path("kasus/<int:pk>/buka-identitas/", views.reveal, name="reveal"),
    path("kasus/<int:pk>/identitas/", views.identity_edit, name="identity_edit"),
    path("kasus/<int:pk>/catatan/<slug:field>/", views.notes_edit, name="notes_edit"),
    path("kasus/<int:pk>/asesmen/setujui/", views.assessment_approve, name="assessment_approve"),
    path("kasus/<int:pk>/spt/terbitkan/", views.spt_issue, name="spt_issue"),
    path("kasus/<int:pk>/tim/", views.team_assign, name="team_assign"),
    path("kasus/<int:pk>/tim/<int:member>/akhiri/", views.team_end, name="team_end"),
    path("kasus/<int:pk>/persetujuan/", views.consent, name="consent"),
    path("kasus/<int:pk>/rujukan/", views.referral_create, name="referral_create"),
    path("kasus/<int:pk>/rujukan/<int:referral>/", views.referral_update, name="referral_update"),
    path("kasus/<int:pk>/rujukan/<int:referral>/tahap-hukum/", views.milestone_add, name="milestone_add"),
    # Printed documents: named by the case number, never by the person. The closure report is made off the
    # request: cases.documents.DOWNLOADS, asked at portal.downloads' address.
    path("kasus/<int:pk>/spt.pdf", views.spt_pdf, name="spt_pdf"),
    path("kasus/<int:pk>/rujukan/<int:referral>/surat.pdf", views.referral_pdf, name="referral_pdf"),
    # The monthly recap, anonymised (cases.recap).
    path("rekap/", views.recap, name="recap"),
    path("rekap/rekap.pdf", views.recap_pdf, name="recap_pdf"),
    path("rekap/rekap.xlsx", views.recap_xlsx, name="recap_xlsx"),
]
