"""The views and dialogs a user sees, and the Qt item models behind the lists."""
