"""The clinician's report: the facts it states, its PDF and the PDF's chart.

facts.py says everything in words and rows (the preview lists it), pdf.py lays those facts out on
pages, and pdf_chart.py draws the timeline chart of journal.charts onto a page as vector shapes.
"""
