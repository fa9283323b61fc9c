"""Landing pages: where a user starts after login, the institution's and the city's front pages."""
