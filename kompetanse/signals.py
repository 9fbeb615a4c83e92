"""Signals the content core sends, for the satellites to act on without kompetanse knowing them."""

from django.dispatch import Signal

# Sent for each page a package import wrote (created or updated), inside the import's
# transaction, after the page's revision is saved (and published, where it was).
# sender: always KnowledgePage (connect with sender=KnowledgePage); arguments: page (specific),
# item (the package's item, validated), package (the whole package, parsed).
page_imported = Signal()
