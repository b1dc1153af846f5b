"""Foreign persons (境外人员) that an enterprise employs (DOMAIN.md §4)."""
