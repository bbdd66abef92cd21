"""The idempotency key of a save (issue 14)."""

from django.conf import settings
from django.db import migrations, models

from jixiao.web.audit.triggers import append_only


class Migration(migrations.Migration):

    dependencies = [
        ('packages', '0002_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='revision',
            name='save_key',
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name='保存标识'),
        ),
        migrations.AddConstraint(
            model_name='revision',
            constraint=models.UniqueConstraint(condition=models.Q(('save_key__isnull', False)), fields=('package', 'save_key'), name='revision_save_key_unique'),
        ),
        # The trigger again, in case a database rebuilt the table for the new column (idempotent).
        append_only("packages_revision"),
    ]
