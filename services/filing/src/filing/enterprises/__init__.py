"""Enterprises (涉外单位), their filing records and liaisons."""
