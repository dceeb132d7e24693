"""mlpath: a local study planner and progress tracker for teaching yourself machine learning."""

__version__ = "0.1.0"
