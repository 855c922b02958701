"""Trial Journal's window: PySide6 widgets that talk only to the journal facade."""
