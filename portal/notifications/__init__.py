"""Notifications in the portal and by e-mail: new assignment, acknowledgement due, plan items due or overdue."""
