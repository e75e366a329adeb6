"""A team on a shared PostgreSQL server: the server's tables and row-level security
(server_migrations/), the manager's commands (manage), and the sync of a laptop's database
with the server (sync). No Qt here, as everywhere in db/."""
