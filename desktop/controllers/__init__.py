"""What the window's menus and keys do: importing, linking, suggestions, review, sync, training."""
