"""``mlpath review`` and ``mlpath placement``: spaced review of finished topics, and a
placement test that skips what you already know.

:func:`register` adds them to the main Typer app; the work is in :mod:`mlpath.app.review`,
:mod:`mlpath.app.placement` and :mod:`mlpath.review`.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Annotated, Any

import typer

from mlpath.cli.hot import emit_json
from mlpath.cli.quiz import CurriculumOpt, JsonOpt, QuestionsOpt, _console, ask_question
from mlpath.errors import InputError

AnswersOpt = Annotated[
    str | None,
    typer.Option(
        "--answers",
        help='JSON file of answers, or - for stdin: {"<question id>": "B" | ["A", "C"] | 12.5}.',
        show_default=False,
    ),
]
PlainOpt = Annotated[
    bool, typer.Option("--plain", help="Plain text: no colors or boxes (screen readers).")
]


def _stdin_is_terminal() -> bool:
    """Whether the command can ask its questions (tests replace this)."""
    return sys.stdin.isatty()


def _read_answers(answers: str) -> dict[str, Any]:
    from mlpath.app.quiz import read_answers_file

    return read_answers_file(answers, sys.stdin.read() if answers == "-" else None)


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        limit: Annotated[
            int, typer.Option("--limit", help="Reviews a day at most (default 10).")
        ] = 10,
        seed: Annotated[
            int | None,
            typer.Option("--seed", help="Draw the questions from this seed (default: today)."),
        ] = None,
        answers: AnswersOpt = None,
        plain: PlainOpt = False,
        questions: QuestionsOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Review the finished topics that are due, so you keep what you learned.

        Each due topic gets 2-3 fresh questions; how many you get right, and how fast,
        decide when it comes back (FSRS). At most --limit reviews a day, the most
        forgotten first. Scripts: --json lists what is due (with the questions, no keys);
        --answers FILE grades and records the topics it answers.

        Example: mlpath review
        """
        from mlpath.app import review as use
        from mlpath.app.session import Session

        s = Session(curriculum_path=curriculum, questions_path=questions)
        drawn = use.start(s, seed=seed, limit=limit)
        if answers is not None:
            result = use.submit(s, drawn, _read_answers(answers))
            if as_json:
                emit_json(result)
            else:
                out = _console(plain)
                for r in result["reviewed"]:
                    _show_result(out, s, r)
                if not result["reviewed"]:
                    out.print("No due topic was answered; nothing was recorded.", markup=False)
            return
        if as_json:
            emit_json(use.review_json(drawn))
            return
        out = _console(plain)
        if not drawn.items:
            out.print("Nothing to review today.", markup=False)
            if drawn.backlog:
                out.print(f"{drawn.backlog} more wait for the next days.", markup=False)
            return
        if not _stdin_is_terminal():
            raise InputError(
                "The review asks its questions in a terminal, and stdin is not one.",
                hint=f"From a script: `mlpath review --seed {drawn.seed} --json` prints the "
                "questions; answer them with --answers FILE (or - for stdin).",
            )
        total = len(drawn.items)
        extra = f" ({drawn.backlog} more wait for the next days)" if drawn.backlog else ""
        out.print(f"{total} topic{'s' * (total != 1)} to review today{extra}.", markup=False)
        out.print(
            "Answer by letter or number; ? shows a hint; Enter skips. Each topic is saved "
            "when its questions are done.",
            markup=False,
        )
        for n, item in enumerate(drawn.items, 1):
            out.print()
            out.print(
                f"Review {n}/{total}: {item.topic.title} ({item.topic.id}), "
                f"predicted recall {item.card.recall:.0%}",
                style="bold",
                markup=False,
            )
            given: dict[str, Any] = {}
            began = time.monotonic()
            for i, q in enumerate(item.questions, 1):
                text = ask_question(
                    out,
                    q,
                    f"Question {i}/{len(item.questions)}",
                    "Review stopped; the topics finished before this one are saved.",
                )
                given[q.id] = text or ""
            took = time.monotonic() - began
            one = replace(drawn, items=(item,))
            result = use.submit(s, one, given, {item.topic.id: took})
            for r in result["reviewed"]:
                _show_result(out, s, r)

    @app.command()
    def placement(
        max_questions: Annotated[
            int, typer.Option("--max", help="Questions at most (default 30).")
        ] = 30,
        seed: Annotated[
            int | None,
            typer.Option("--seed", help="Draw the questions from this seed (replays a test)."),
        ] = None,
        hours: Annotated[
            float | None,
            typer.Option("--hours", help="Weekly hours, when you have no plan yet."),
        ] = None,
        yes: Annotated[
            bool,
            typer.Option("--yes", help="Re-plan with the result without asking (scripts)."),
        ] = False,
        answers: AnswersOpt = None,
        plain: PlainOpt = False,
        questions: QuestionsOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Take a placement test and skip what you already know.

        It asks about the topic it is least sure of, one question at a time, and uses the
        prerequisites: a right answer suggests you know what the topic rests on, a wrong
        one that you do not know what rests on it. It stops when every topic is settled
        (or at --max questions), proposes the topics you know and, when you confirm,
        re-plans with them as --known. Scripts: --json prints the first question; pass
        the answers so far with --answers FILE and the same --seed to get the next one;
        add --yes to apply the finished result.

        Example: mlpath placement --hours 10
        """
        import secrets

        from mlpath.app import placement as use
        from mlpath.app.session import Session

        s = Session(curriculum_path=curriculum, questions_path=questions)
        chosen = seed if seed is not None else secrets.randbelow(1_000_000)
        if answers is not None or as_json:
            given = _read_answers(answers) if answers is not None else {}
            if yes:
                use.check_can_plan(s, hours)
            r = use.run(s, seed=chosen, max_questions=max_questions, answers=given)
            out = use.result_json(r)
            if yes and r.pending is None:
                out["applied"] = use.apply(s, r, hours)
            if as_json:
                emit_json(out)
            else:
                _show_placement(_console(plain), s, out)
            return
        if not _stdin_is_terminal():
            raise InputError(
                "The placement test asks its questions in a terminal, and stdin is not one.",
                hint=f"From a script: `mlpath placement --seed {chosen} --json` prints the first "
                "question; answer it with --answers FILE and the same --seed.",
            )
        use.check_can_plan(s, hours)
        con = _console(plain)
        con.print(
            f"Placement test: at most {max_questions} questions, seed {chosen}. Enter skips a "
            "question (counted as not known).",
            markup=False,
        )

        def ask(n: int, q: Any) -> Any:
            title = s.curriculum.by_id[q.topic].title
            return ask_question(
                con,
                q,
                f"Question {n} · {title}",
                "Placement test stopped; nothing was recorded.",
            )

        r = use.run(s, seed=chosen, max_questions=max_questions, ask=ask)
        out = use.result_json(r)
        _show_placement(con, s, out)
        if not out["known"]:
            return
        try:
            ok = typer.confirm("Re-plan with these topics as known?", default=False)
        except (EOFError, KeyboardInterrupt, typer.Abort):
            ok = False
        if not ok:
            con.print("Nothing was recorded.", markup=False)
            return
        applied = use.apply(s, r, hours)
        con.print(
            f"✓ Re-planned without {len(applied['known'])} known topics; "
            "run `mlpath next` to start.",
            markup=False,
        )


def _show_result(out: Any, s: Any, r: dict[str, Any]) -> None:
    title = s.curriculum.by_id[r["topic"]].title
    style = "red" if r["rating"] == "again" else "green"
    out.print(
        f"{title}: {r['score']}/{r['total']} ({r['rating']}); next review {r['due']}.",
        style=style,
        markup=False,
    )
    for res in r["results"]:
        if not res["correct"]:
            out.print(f"  ✗ {res['id']}: {res['explanation']}", markup=False)
    if r["rests_on_it"]:
        names = ", ".join(s.curriculum.by_id[t].title for t in r["rests_on_it"][:8])
        more = f" and {len(r['rests_on_it']) - 8} more" if len(r["rests_on_it"]) > 8 else ""
        out.print(
            f"  These later topics rest on it: {names}{more}. "
            f"Revisit {r['topic']} before going on.",
            style="yellow",
            markup=False,
        )


def _show_placement(out: Any, s: Any, result: dict[str, Any]) -> None:
    titles = {t.id: t.title for t in s.curriculum.topics}
    if not result["done"]:
        q = result["next"]
        out.print(f"Next question ({q['id']}, {titles[q['topic']]}):", markup=False)
        out.print(q["prompt"], markup=False)
        for j, option in enumerate(q.get("options", ())):
            out.print(f"  {chr(65 + j)}. {option}", markup=False)
        out.print("Add its answer to --answers and run again with the same --seed.", markup=False)
        return
    known = result["known"]
    out.print()
    out.print(
        f"After {result['questions']} questions you seem to know {len(known)} topics"
        + (":" if known else "."),
        style="bold",
        markup=False,
    )
    for t in known:
        out.print(f"  ✓ {titles[t]} ({t})", markup=False)
    if result["uncertain"]:
        out.print(
            f"Not settled ({len(result['uncertain'])}, planned as unknown): "
            + ", ".join(result["uncertain"][:10])
            + (" …" if len(result["uncertain"]) > 10 else ""),
            style="dim",
            markup=False,
        )
    if "applied" in result:
        out.print(f"✓ Re-planned with {len(known)} known topics.", markup=False)
