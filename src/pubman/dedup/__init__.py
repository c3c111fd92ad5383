"""Duplicate detection: records, candidate pairs, judged pairs, groups and merge plans."""
