import documents.attachments.models
import documents.generated.models
import documents.verification.models  # noqa: F401
from documents.config import DocumentsSettings
from documents.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: DocumentsSettings().database_url)
