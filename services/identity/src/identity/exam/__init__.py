"""The liaison exam: question bank, attempts, scoring (DOMAIN.md §2)."""
