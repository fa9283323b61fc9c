"""Partner organizations and agreements with them (seed roadmap items 4 and 11)."""
