"""One storage for uploads and generated files: a local folder (the embedded default, one machine) or PostgreSQL
(several machines: every node reads what any node wrote, and the database backup holds the files too)."""
