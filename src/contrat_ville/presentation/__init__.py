"""What readers see: French formatting, tables, charts, citations."""
