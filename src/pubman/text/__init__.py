"""Text about entries: LaTeX decoding and BibTeX names."""
