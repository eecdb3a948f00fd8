"""The monitoring dashboard: every pairing the user follows, with its health, last activity,
overdue actions and indicator progress, and its reports (CSV, XLSX, PDF)."""
