"""The city contest «Лучшие практики наставничества» (seed roadmap item 26): entries, judging, results."""
