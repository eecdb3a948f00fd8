"""Progress reports of a pairing (HTML, PDF, CSV, XLSX) and what they share with the
dashboard's reports: the reporting period, spreadsheet cells, PDF rendering, the audit of
downloads."""
