"""Quizzes: the question bank, its generators, drawing a quiz from a seed, and grading.

The API other layers use (the CLI, spaced review, placement):

- :func:`mlpath.quiz.bank.load_topic` / :func:`~mlpath.quiz.bank.load_bank`: the questions;
- :func:`mlpath.quiz.draw.draw`: k questions of a topic from a seed (same seed, same quiz);
- :func:`mlpath.quiz.grading.grade`: grade one answer; :func:`~mlpath.quiz.draw.guess_rate`.
"""
