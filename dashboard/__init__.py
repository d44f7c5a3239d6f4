"""Community safety performance dashboard: the web app (cache, text, prose, charts, ui, pages)."""
