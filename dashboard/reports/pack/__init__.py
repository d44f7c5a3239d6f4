"""The quarterly board pack: the figures, sentences and charts the pages show, for one quarter of
the financial year, as an A4 PDF or an Excel workbook (``python -m dashboard report pack``).

``quarter`` reads the meeting quarter; ``audience`` decides what a default or an exempt pack may
hold; ``content`` (neighbourhood crime, wards) and ``priorities`` (the other priorities) gather
each section from the cache, domain, prose and chart functions the pages use; ``headline`` makes
the headline rows; ``render`` (charts), ``document`` (HTML) and ``pdf`` write the PDF; ``xlsx``
the workbook; ``build`` ties them together; ``jobs`` is the Board pack page's background job
(run by ``dashboard.jobs``).
"""
