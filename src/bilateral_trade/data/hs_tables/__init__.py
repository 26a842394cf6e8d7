"""The UN correspondence tables between HS revisions (data files; see PROVENANCE.md)."""
