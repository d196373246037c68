"""Curation: adding a new status report from a spreadsheet (`digikort import`)."""
