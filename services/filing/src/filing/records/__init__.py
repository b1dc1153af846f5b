"""Filing records after the first save: printed forms, attachments, submission, two-level
review, change records (附件3, 附件4), approved versions and the audit log."""
