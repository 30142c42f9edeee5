"""The SQLite store: migrations, connections, read queries and the ORM mapping for writes."""

# The command line the change log records for the running command; the entry points set it
# (store/log.py reads it only when a change is sealed, so reads never import the log).
command_line: list[str] | None = None
