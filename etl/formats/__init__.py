"""One module per source format: each detects its layout from the header and validates it."""
