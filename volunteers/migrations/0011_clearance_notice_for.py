from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0010_bulk_message")]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="clearance_notice_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
    ]
