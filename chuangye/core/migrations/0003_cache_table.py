"""The database cache table (rate-limit counters shared by every process); a no-op when Redis is configured."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_reference_data")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
