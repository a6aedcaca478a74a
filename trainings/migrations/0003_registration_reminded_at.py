from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("trainings", "0002_course_types")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="reminded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="reminded at"),
        ),
    ]
