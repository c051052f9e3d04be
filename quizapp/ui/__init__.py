"""The window. The only package that imports Qt; it changes data only through services."""
