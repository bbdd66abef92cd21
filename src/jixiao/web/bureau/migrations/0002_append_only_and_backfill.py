"""Reviews, their comments and publications are append-only (database triggers, as for
revisions). (The figures backfill that was here moved to 0003, which rewrites every row.)"""

from django.db import migrations

from jixiao.web.audit.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("bureau", "0001_initial"), ("packages", "0002_append_only")]
    operations = [
        append_only("bureau_review", "bureau_reviewcomment", "bureau_publication"),
    ]
