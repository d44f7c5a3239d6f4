"""Loading extracts (MPS crime files, ONS populations, council templates) into the database."""
