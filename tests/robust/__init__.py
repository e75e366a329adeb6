"""Robustness tests: crashes, concurrency, hostile input, fuzzing, properties, backups."""
