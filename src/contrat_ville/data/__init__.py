"""Files, schemas, raw tables and editions: what the study reads, validated."""
