"""The open document in memory: its records, position map, span stacks and undoable edits."""
