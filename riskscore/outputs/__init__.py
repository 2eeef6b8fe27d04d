"""Publishing: tables, the Markdown report, workbooks and the explore page.

- ``render``: rows to table, Markdown, CSV or JSON, fitted to the terminal.
- ``report``: the Markdown risk report and its figures.
- ``workbook``, ``xlsx``: Excel workbooks.
- ``explore``: the self-contained interactive HTML page.

Depends on ``riskscore.analyses`` and below.
"""
