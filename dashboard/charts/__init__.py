"""Charts as pure functions: DataFrames and numbers in, a ``go.Figure`` out (no I/O)."""
