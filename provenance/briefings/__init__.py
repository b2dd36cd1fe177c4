"""Sanctions briefing reports: the data a briefing shows, its digest, and its HTML, PDF and CSV renderings.

- `params`: what a briefing covers (filters, counting rules), stored as JSON on the report;
- `data`: assembles every table from the analytics selectors, and the SHA-256 digest of that data;
- `render`: HTML and PDF from one template (WeasyPrint), and a formula-safe CSV of the tables.

The service `provenance.services.briefings` ties them to a `BriefingReport` row.
"""
