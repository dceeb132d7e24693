"""Auto-checked labs: each lab is a folder ``labs/<lab-id>/`` of data files."""
