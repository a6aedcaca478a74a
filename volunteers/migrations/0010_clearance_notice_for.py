from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0009_search_without_weights")]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="clearance_notice_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
    ]
