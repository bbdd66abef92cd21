from django.db import migrations

from jixiao.web.audit.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial"), ("audit", "0002_append_only")]
    operations = [append_only("evidence_publishedevidence", "evidence_rectificationevent")]
