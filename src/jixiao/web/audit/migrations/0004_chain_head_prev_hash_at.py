from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [
        migrations.AddField(model_name="auditchainhead", name="prev_hash",
                            field=models.CharField(blank=True, default="", max_length=64)),
        migrations.AddField(model_name="auditchainhead", name="at", field=models.DateTimeField(blank=True, null=True)),
    ]
