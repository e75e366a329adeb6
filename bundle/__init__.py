"""Building and checking Spanwise for people without a Python set-up (README "Install")."""
