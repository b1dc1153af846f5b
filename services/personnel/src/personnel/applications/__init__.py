"""Employment permit applications (就业许可网上办理, DOMAIN.md §4, seed 004): six kinds, one
lifecycle — save while unsubmitted, submit (locked), the labour officer's pre-review within five
working days, a failed one modified into a new revision and submitted again."""
