"""What people take away from the dashboard as files.

exports (CSV and XLSX writers that neutralise spreadsheet formulas), indicators (the indicators
export: every area x indicator for one month) and priorities (its rows for the other
priorities).
"""
