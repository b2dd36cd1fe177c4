"""Sanctions briefing reports: the data a briefing shows, its digest, and its HTML, PDF and CSV renderings.

- `params`: what a briefing covers (filters, counting rules), stored as JSON on the report;
- `data`: assembles every table from the analytics selectors, the item and finding lists, and the SHA-256
  digest of that data (`sanctions` adds the sanctions tables, `photos` the photo annex);
- `prose`: the sentences (title, scope, counting rules, key figures, headline, key points);
- `context`: the template's context (rows cut to a page, bar widths, charts); numbers and dates are formatted
  in the template by the filters of `provenance.templatetags.briefing`;
- `render`: HTML and PDF from one template (WeasyPrint);
- `exports`: the formula-safe CSV of every table, item and finding.

The service `provenance.services.briefings` ties them to a `BriefingReport` row.
"""
