"""The clinician's report: the facts it states, its PDF and the PDF's chart."""
