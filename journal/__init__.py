"""Trial Journal's core: records, storage, the drug catalog, the TRD assessment and the command line. No Qt here."""

__version__ = "0.1.0"
