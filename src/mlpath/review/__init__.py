"""Spaced review (:mod:`.schedule`, FSRS over mlpath's own review log) and the placement test
(:mod:`.placement`, a knowledge-space model over the prerequisite graph)."""
