"""Inter-annotator agreement: matched spans and links, tallies, coefficients, the HTML report."""
