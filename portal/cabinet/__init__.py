"""The mentor's and mentee's own pages, the meetings log, and the curator's institution dashboard."""
