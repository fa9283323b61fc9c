"""The city roadmap (дорожная карта): activities with deadline rules, tasks per institution, reporting."""
