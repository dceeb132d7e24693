"""``mlpath quiz`` and ``mlpath questions``: take a topic's quiz, check or describe the bank.

:func:`register` adds them to the main Typer app; the work is in :mod:`mlpath.app.quiz`
and :mod:`mlpath.quiz`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mlpath.cli.hot import emit_json
from mlpath.errors import InputError

CurriculumOpt = Annotated[
    Path | None,
    typer.Option(
        "--curriculum",
        envvar="MLPATH_CURRICULUM",
        help="Use this curriculum JSON file instead of the bundled one.",
        show_default=False,
    ),
]
QuestionsOpt = Annotated[
    Path | None,
    typer.Option(
        "--questions",
        envvar="MLPATH_QUESTIONS",
        help="Question bank folder (default: questions/ next to a custom curriculum, "
        "else the bundled bank).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]


def _stdin_is_terminal() -> bool:
    """Whether the quiz can ask its questions (tests replace this)."""
    return sys.stdin.isatty()


def _console(plain: bool) -> Any:
    from rich.console import Console

    if plain:
        return Console(highlight=False, emoji=False, color_system=None, markup=False)
    return Console(highlight=False, emoji=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def quiz(
        topic: Annotated[str, typer.Argument(help="Topic id, unique id prefix, or title.")],
        count: Annotated[
            int, typer.Option("-n", "--count", help="Number of questions (default 8).")
        ] = 8,
        seed: Annotated[
            int | None,
            typer.Option("--seed", help="Draw this quiz again: the same seed, the same questions."),
        ] = None,
        answers: Annotated[
            str | None,
            typer.Option(
                "--answers",
                help='JSON file of answers, or - for stdin: {"<question id>": "B" | ["A", "C"]'
                " | 12.5}. Grades and records the quiz without asking.",
                show_default=False,
            ),
        ] = None,
        plain: Annotated[
            bool, typer.Option("--plain", help="Plain text: no colors or boxes (screen readers).")
        ] = False,
        questions: QuestionsOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Take a short quiz on a topic; 80% or more backs the topic with evidence.

        In a terminal it asks each question (answer by letter or number, ? for a hint,
        Enter to skip) and shows the score and explanations at the end. Scripts use
        --json (the questions, without keys) and --answers (grade and record).

        Example: mlpath quiz vectors --seed 3
        """
        import secrets

        from mlpath.app import quiz as use
        from mlpath.app.session import Session

        s = Session(curriculum_path=curriculum, questions_path=questions)
        chosen = seed if seed is not None else secrets.randbelow(1_000_000)
        drawn = use.start(s, topic, n=count, seed=chosen)
        if answers is not None:
            given = use.read_answers_file(answers, sys.stdin.read() if answers == "-" else None)
            result = use.submit(s, drawn, given)
            if as_json:
                emit_json(result)
            else:
                _show_results(_console(plain), drawn, given, result)
            return
        if as_json:
            emit_json(use.quiz_json(drawn))
            return
        if not _stdin_is_terminal():
            raise InputError(
                "The quiz asks its questions in a terminal, and stdin is not one.",
                hint=f"From a script: `mlpath quiz {drawn.topic.id} --seed {chosen} --json` "
                f"prints the questions; answer them with --answers FILE (or - for stdin).",
            )
        out = _console(plain)
        given = _ask_all(out, drawn, plain)
        result = use.submit(s, drawn, given)
        _show_results(out, drawn, given, result)

    questions_app = typer.Typer(
        help="Check a question bank or print its JSON Schema.", no_args_is_help=True
    )
    app.add_typer(questions_app, name="questions")

    @questions_app.command("check")
    def questions_check(
        path: Annotated[
            Path | None,
            typer.Argument(help="A bank folder or one bank file (default: the bank in use)."),
        ] = None,
        questions: QuestionsOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Validate a question bank against the curriculum and list every problem at once.

        Example: mlpath questions check data/questions
        """
        from mlpath.app import quiz as use
        from mlpath.app.session import Session
        from mlpath.errors import QuestionBankError

        s = Session(curriculum_path=curriculum, questions_path=questions)
        report = use.check_bank(s, path)
        if as_json:
            emit_json(report)
        if report["problems"]:
            n = len(report["problems"])
            error = QuestionBankError(
                f"{report['path']} has {n} problem{'s' * (n != 1)}:",
                report["problems"],
                hint="Fix them, then run `mlpath questions check` again.",
            )
            if as_json:
                raise typer.Exit(error.exit_code)
            raise error
        if as_json:
            return
        out = _console(False)
        out.print(
            f"✓ {report['path']}: {report['questions']} questions for {report['topics']} "
            f"topics in {report['files']} files. No problems.",
            markup=False,
        )
        missing = report["topics_without_questions"]
        if missing:
            out.print(
                f"{len(missing)} topics have no questions yet: {', '.join(missing)}.",
                markup=False,
                style="dim",
            )

    @questions_app.command("schema")
    def questions_schema(as_json: JsonOpt = True) -> None:
        """Print the JSON Schema of question-bank files (always JSON).

        Example: mlpath questions schema > questions.schema.json
        """
        from mlpath.quiz.bank import json_schema

        emit_json(json_schema())


# --------------------------------------------------------------------------- asking


def _ask_all(out: Any, quiz: Any, plain: bool) -> dict[str, Any]:
    """Ask every question; Ctrl-D or Ctrl-C abandons the quiz and records nothing."""
    given: dict[str, Any] = {}
    total = len(quiz.questions)
    out.print(
        f"Quiz: {quiz.topic.title} ({quiz.topic.id}), {total} questions, seed {quiz.seed}.",
        markup=False,
    )
    out.print("Answer by letter or number; ? shows a hint; Enter skips.", markup=False)
    for i, q in enumerate(quiz.questions, 1):
        text = ask_question(
            out, q, f"Question {i}/{total}", "Quiz abandoned; nothing was recorded."
        )
        if text:
            given[q.id] = text
    return given


def ask_question(out: Any, q: Any, heading: str, abandoned: str) -> str | None:
    """Ask one drawn question until the answer reads (None: skipped with Enter); Ctrl-D or
    Ctrl-C prints ``abandoned`` and exits 130."""
    from mlpath.quiz.grading import read_answer

    out.print()
    out.print(heading, style="bold", markup=False)
    out.print(q.prompt, markup=False)
    if q.kind == "multiple":
        out.print("Select all that apply (e.g. A, C).", markup=False)
    for j, option in enumerate(q.options or ()):
        out.print(f"  {chr(65 + j)}. {option}", markup=False)
    label = "Letters" if q.kind == "multiple" else "Letter" if q.options else "Number"
    while True:
        try:
            text = out.input(f"{label} (? for a hint, Enter to skip): ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            out.print(abandoned, markup=False)
            raise typer.Exit(130) from None
        text = text.strip()
        if text == "?":
            out.print(f"Hint: {q.hint}" if q.hint else "No hint for this one.", markup=False)
            continue
        if not text:
            return None
        try:
            read_answer(q, text)
        except InputError as exc:
            out.print(exc.message, markup=False, style="yellow")
            continue
        return str(text)


def _show_results(out: Any, quiz: Any, given: dict[str, Any], result: dict[str, Any]) -> None:
    out.print()
    verdict = (
        "passed: the topic is backed by evidence"
        if result["passed"]
        else "not passed (80% backs the topic with evidence)"
    )
    out.print(
        f"Score: {result['score']}/{result['total']} ({result['percent']:g}%), {verdict}.",
        style="bold",
        markup=False,
    )
    resources = quiz.topic.resources
    for i, (q, r) in enumerate(zip(quiz.questions, result["results"], strict=True), 1):
        mark = "✓" if r["correct"] else "✗"
        expected = r["expected"]
        shown = (
            ", ".join(expected)
            if isinstance(expected, list)
            else f"{expected:g}"
            if isinstance(expected, float)
            else str(expected)
        )
        answer = given.get(q.id)
        answered = "skipped" if answer in (None, "") else str(answer)
        out.print()
        out.print(f"{mark} {i}. {q.prompt}", style="green" if r["correct"] else "red", markup=False)
        out.print(f"   Your answer: {answered} · correct: {shown}", markup=False)
        out.print(f"   {r['explanation']}", markup=False)
        if q.resource < len(resources):
            res = resources[q.resource]
            where = f" ({res.section})" if res.section else ""
            out.print(f"   Read: {res.title}{where} {res.url}", markup=False, style="dim")
    out.print()
    out.print(
        f"Recorded. Retake it with `mlpath quiz {quiz.topic.id}`; undo it with `mlpath undo`.",
        markup=False,
        style="dim",
    )
