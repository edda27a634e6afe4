import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

NOTES = ("chronology", "missing_documents_reason", "outreach_result", "assessment", "reintegration_result", "closure_summary")


def keep_the_notes_written_so_far(apps, schema_editor):
    """Each note already written becomes its first version, by no one known: a later change then keeps it."""
    CaseNotes = apps.get_model("cases", "CaseNotes")
    NoteVersion = apps.get_model("cases", "NoteVersion")
    now = django.utils.timezone.now()
    NoteVersion.objects.bulk_create(
        NoteVersion(case_id=notes.case_id, note=name, text=getattr(notes, name), written_at=now)
        for notes in CaseNotes.objects.iterator()
        for name in NOTES
        if getattr(notes, name)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NoteVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(choices=[('chronology', 'kronologi kejadian'), ('missing_documents_reason', 'alasan persyaratan belum lengkap'), ('outreach_result', 'hasil verifikasi/penjangkauan'), ('assessment', 'hasil asesmen: kebutuhan dan risiko'), ('reintegration_result', 'hasil reintegrasi/rehabilitasi'), ('closure_summary', 'ringkasan penanganan untuk laporan akhir')], max_length=30, verbose_name='catatan')),
                ('text', models.TextField(blank=True, verbose_name='isi')),
                ('written_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ditulis pada')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='note_versions', to='cases.case')),
                ('written_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ditulis oleh')),
            ],
            options={
                'verbose_name': 'versi catatan kasus',
                'verbose_name_plural': 'versi catatan kasus',
                'ordering': ['written_at', 'pk'],
                'indexes': [models.Index(fields=['case', 'written_at'], name='noteversion_case_at')],
            },
        ),
        migrations.RunPython(keep_the_notes_written_so_far, migrations.RunPython.noop),
    ]
