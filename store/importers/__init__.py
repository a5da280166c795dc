"""Importers: turn outside documents (beta.gouv.fr files, conventions, expense CSVs) into plain data."""
