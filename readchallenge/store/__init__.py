"""The SQLite store: migrations, connections, read queries and the ORM mapping for writes."""
