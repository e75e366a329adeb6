"""The database underneath the store API: engine, models, migrations, backups, reads, writes."""
