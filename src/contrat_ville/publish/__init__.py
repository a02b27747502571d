"""Publishing the book: the Sphinx extension, site tools, the PDF."""
