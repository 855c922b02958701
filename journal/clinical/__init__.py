"""The clinical knowledge: the drug catalog, the rating scales and the TRD assessment."""
