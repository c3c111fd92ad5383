"""Sync: remote works as fields, matching, planning and the run pipeline."""
