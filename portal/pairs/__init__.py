"""The pair's page: meetings planned and logged, messages between mentor and mentee, inactivity nudges."""
