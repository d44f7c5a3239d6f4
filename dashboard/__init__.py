"""Community safety performance dashboard: pages, queries and metrics."""
