"""Platform admin and city coordinator screens: institutions, users, role grants."""
