"""Shared helpers for the documents the portal writes and reads: XLSX sheets and tabular files."""
