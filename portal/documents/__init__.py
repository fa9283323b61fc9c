"""Shared helpers for the documents the portal writes and reads: DOCX layout and downloads, XLSX sheets, tabular
files, calendars."""
