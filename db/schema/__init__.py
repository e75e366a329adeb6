"""Project settings from the label schema: labels, link types, label keys, the quote definition."""
