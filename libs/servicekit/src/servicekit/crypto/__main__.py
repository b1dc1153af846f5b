"""`python -m servicekit.crypto rotate|new-key|new-index-key` (servicekit.crypto.rotation)."""

from servicekit.crypto.rotation import main

main()
