"""Text helpers shared by GUI and CLI: words for messages, user text on one line, clean spans."""
