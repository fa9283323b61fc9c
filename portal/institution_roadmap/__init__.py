"""The institution's own roadmap (дорожная карта ОО), derived from the city's and approved by an order."""
