"""Publication counts as plain data; never prints."""
