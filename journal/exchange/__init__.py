"""Files that leave or enter the journal, and the use cases that move them.

- `jsonfile`: the journal file, versions 1 and 2 (spec/journal-json.md): JSON read into records, which
  journal.rules judges, and records written back as JSON;
- `importing`: the one import the window and the command line share (read and check, back up,
  store, say what changed);
- `exporting`: the one export (the journal file, CSV tables or a FHIR bundle);
- `exports`: how the CSV tables and the FHIR R4 bundle are made.
"""
