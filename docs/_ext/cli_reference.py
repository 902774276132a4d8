"""``.. cli-reference::``: the ``stlite-docs`` command's reference, generated from its argparse
definition (``stlite_docs.cli.build_parser``), so the manual cannot drift from ``--help``.

One section per subcommand (label ``stlite-docs-<name>`` for ``:ref:``): its summary, usage
line, description, and every argument with its value, choices and default. Output is deterministic: usage lines are formatted at a fixed width,
not the terminal's.
"""

from __future__ import annotations

import argparse

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: Usage lines are wrapped at this width whatever the terminal of the build.
WIDTH = 88


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=WIDTH)


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each subcommand, in definition order."""
    found = []
    for action in parser._actions:  # argparse has no public accessor for its subparsers
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((name, helps.get(name, ""), sub))
    return found


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest.upper() if action.option_strings else action.dest


def _invocation(action: argparse.Action) -> str:
    value = _metavar(action)
    value = {
        0: "",
        None: value,
        "?": f"[{value}]",
        "*": f"[{value} ...]",
        "+": f"{value} [{value} ...]",
    }.get(action.nargs, value)
    if not action.option_strings:
        return value
    return ", ".join(action.option_strings) + (f" {value}" if value else "")


def _help(action: argparse.Action, prog: str) -> str:
    text = action.help or ""
    return text % dict(vars(action), prog=prog) if "%" in text else text


def _argument_list(parser: argparse.ArgumentParser) -> nodes.definition_list:
    items = nodes.definition_list()
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        item = nodes.definition_list_item()
        item += nodes.term("", "", nodes.literal(text=_invocation(action)))
        body = nodes.definition()
        body += nodes.paragraph(text=_help(action, parser.prog))
        notes = []
        if action.required and action.option_strings:
            notes.append("required")
        shown_default = action.default not in (None, False, argparse.SUPPRESS, [])
        if shown_default and action.nargs != 0 and "default" not in (action.help or ""):
            notes.append(f"default: {action.default}")
        if notes:
            body += nodes.paragraph(text="(" + "; ".join(notes) + ")")
        item += body
        items += item
    return items


def _exclusive_note(parser: argparse.ArgumentParser) -> list[nodes.Node]:
    notes = []
    for group in parser._mutually_exclusive_groups:
        names = " or ".join(action.option_strings[-1] for action in group._group_actions)
        text = f"Give exactly one of {names}." if group.required else f"Give at most one of {names}."
        notes.append(nodes.paragraph(text=text))
    return notes


class CliReference(SphinxDirective):
    """Sections for the command and each of its subcommands."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from stlite_docs.cli import build_parser

        parser = build_parser()
        parser.formatter_class = _formatter
        out: list[nodes.Node] = [
            nodes.paragraph(text=parser.description or ""),
            nodes.literal_block(text=parser.format_usage().strip(), language="text"),
            _argument_list(parser),
        ]
        for name, summary, sub in _subcommands(parser):
            sub.formatter_class = _formatter
            section_id = nodes.make_id(f"{parser.prog} {name}")
            section = nodes.section(ids=[section_id], names=[nodes.fully_normalize_name(f"{parser.prog} {name}")])
            section += nodes.title(text=f"{parser.prog} {name}")
            if summary:
                section += nodes.paragraph(text=summary[:1].upper() + summary[1:] + ".")
            section += nodes.literal_block(text=sub.format_usage().strip(), language="text")
            if sub.description and sub.description != summary:
                section += nodes.paragraph(text=sub.description)
            section += _exclusive_note(sub)
            section += _argument_list(sub)
            self.state.document.note_implicit_target(section, section)
            # A label per subcommand, so pages can write :ref:`stlite-docs-check`.
            self.env.get_domain("std").note_hyperlink_target(
                section_id, self.env.docname, section_id, f"{parser.prog} {name}")
            out.append(section)
        return out


def setup(app: Sphinx) -> dict:
    app.add_directive("cli-reference", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
