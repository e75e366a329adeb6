"""The main window: composition of the panels and controllers, its actions, menus and toolbar."""
