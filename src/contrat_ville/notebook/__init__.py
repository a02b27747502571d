"""The chapter runtime used by every notebook, and the provenance it records and shows."""
