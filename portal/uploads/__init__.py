"""Uploaded files: size limit, type checked by content, stored outside the web root per institution."""
