"""The daily reminders: they read the plans, orders, reports, roadmap tasks, agreements and surveys of several
features and send through portal.notifications, so they sit above all of them (portal.notifications stays a
sender every feature may import)."""
