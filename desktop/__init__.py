"""Spanwise's Qt application and command line: a thin shell over db/."""
