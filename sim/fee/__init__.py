"""The fee plan (收费方案): rate cards, the cost build-up, baseline and optional posts, the
event surcharge from a sizing result, and the plan as a workbook, CSV and HTML page."""
