"""Files in and out: bounded reading of inputs, article text files, complete-or-absent writes."""
