"""DOMAIN.md as pure functions: DataFrames and typed months in, numbers out (no SQL, no Dash, no
English)."""
