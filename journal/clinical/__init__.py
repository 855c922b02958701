"""The clinical knowledge: the drug catalog, the rating scales and the TRD assessment.

Its modules depend one way, each only on those before it:
audiences (who reads: the person or the clinician), scales (scales.json), catalog (drug_catalog.json),
assessment (trd-rules.md applied to the records), verdict_words (the assessment in words for a reader).
"""
