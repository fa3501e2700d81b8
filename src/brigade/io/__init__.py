"""Excel/CSV in and out: ledger templates, tolerant import with dry run and per-row errors, export.

- ``cells``: reading one cell as people type it (dates, full-width text, 是/否, choice labels).
- ``workbook``: opening a file safely (size limit, empty, encrypted, not a spreadsheet) and
  finding the header row below any title rows.
- ``ledgers``: one declaration per ledger (model ledgers and every ActivityKind).
- ``importer``: ``import_file(path, ledger=…, dry_run=…)`` → ``ImportReport``; all rows or none.
- ``templates`` / ``exporter``: the .xlsx template of a ledger; a queryset to .xlsx / .csv.
- ``profiles``: dispatch-system CSV exports through a YAML mapping profile.
"""
