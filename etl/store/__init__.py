"""Every write of the ETL, and the reads a write (or its preview) needs, by subject:
``store.uploads`` (the upload log and the write lock), ``store.areas`` (areas, crime
categories), ``store.boundaries`` (ward outlines), ``store.crime``, ``store.population``, ``store.templates`` and ``store.police_uk`` (the LSOA
lookups and police.uk counts).

Loads, previews and reverts decide what changes; these functions run the statements, each
inside the connection (and so the transaction) its caller passes.
"""

from etl.store import areas, boundaries, crime, police_uk, population, templates, uploads

__all__ = ["areas", "boundaries", "crime", "police_uk", "population", "templates", "uploads"]
