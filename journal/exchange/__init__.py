"""Files that leave or enter the journal: the journal JSON format and the CSV/FHIR exports."""
