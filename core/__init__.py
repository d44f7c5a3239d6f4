"""The ground floor, shared by etl and dashboard and importing neither: settings, schema and
engine, reference data, the month type and every read query."""
