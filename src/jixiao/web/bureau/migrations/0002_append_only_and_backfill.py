"""Reviews, their comments and publications are append-only (database triggers, as for
revisions); revisions written before this app existed get their dashboard figures."""

from django.db import migrations

from jixiao.web.audit.triggers import append_only


def backfill(apps, schema_editor):
    from jixiao.web.bureau.figures import backfill as run

    Revision = apps.get_model("packages", "Revision")
    models = (apps.get_model("bureau", "RevisionFigures"), apps.get_model("bureau", "FindingTally"))
    run(Revision.objects.select_related("package__campaign").filter(figures__isnull=True).iterator(), models)


class Migration(migrations.Migration):
    dependencies = [("bureau", "0001_initial"), ("packages", "0002_append_only")]
    operations = [
        append_only("bureau_review", "bureau_reviewcomment", "bureau_publication"),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
