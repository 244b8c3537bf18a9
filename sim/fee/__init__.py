"""The fee plan (收费方案): rate cards, the cost build-up, baseline and optional posts, the
event surcharge from a sizing result, and the plan as a workbook, CSV and HTML page.

Layer: below the command line only. Reads the scenario, the post kinds' labels and sizing
files (its own reader of ``sizing.json``: it never imports the sizer); uses the report
layer's fonts for the HTML page.
"""
