"""Keeping live copies in step with their source; filled in by reuse.adopting."""
