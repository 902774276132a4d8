"""The fast reading of ``.. stlite::`` option blocks (stlite_docs/sphinx/rst_options.py) gives
exactly what docutils' own gives: the same options, or docutils' own error when it is not
simple. Both readings run on the same generated reST, through real docutils."""

from __future__ import annotations

import docutils.core
from docutils.parsers.rst import Directive, directives, states
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stlite_docs.frontends.sphinx.directive import _AnyOption
from stlite_docs.frontends.sphinx.rst_options import install, simple_options


class _Spec(_AnyOption):
    """A spec type of the test's own, so switching the fast path off here touches no build."""


SEEN: list = []


class _Recording(Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _Spec({"caption": directives.unchanged})

    def run(self):
        SEEN.append((dict(self.options), list(self.arguments), list(self.content)))
        return []


directives.register_directive("recording-stlite", _Recording)
install(_Spec)


def _read(source: str, fast: bool):
    types = states.Body.parse_directive_options.stlite_docs_fast_options
    (types.add if fast else types.discard)(_Spec)
    SEEN.clear()
    doc = docutils.core.publish_doctree(source, settings_overrides={"report_level": 5, "halt_level": 5})
    errors = [m.astext() for m in doc.findall(lambda n: n.tagname == "system_message")]
    return list(SEEN), errors


def _same_both_ways(source: str) -> None:
    assert _read(source, fast=True) == _read(source, fast=False), source


def test_common_option_blocks_are_read_here():
    for lines in ([":caption: A slider demo", ":height: 400px"], [":requirements: numpy>=1.26, pandas<3"],
                  [":editable:"], [":name: my_app", ":load: click"], [":Caption: Upper case name"]):
        fast = simple_options({}, _Spec(), lines)
        assert fast is not None, lines
        _same_both_ways(".. recording-stlite::\n" + "".join(f"   {line}\n" for line in lines) + "\n   import streamlit\n")


def test_values_are_plain_text_as_docutils_reads_them():
    for value in ("*emphasis*", "see https://example.org", "1. first", "- item", "a\\b", "mail@example.org", "ref_"):
        assert simple_options({}, _Spec(), [f":caption: {value}"]) == ({"caption": value}, []), value
        _same_both_ways(f".. recording-stlite::\n   :caption: {value}\n\n   import streamlit\n")


def test_other_option_blocks_go_to_docutils():
    for lines in ([":caption: a", ":caption: b"], [":caption: first line", "   continued"], [":x y: z"],
                  [":*name*: z"], [":check_timeout: 5"]):
        assert simple_options({}, _Spec(), lines) is None, lines


_NAMES = st.sampled_from(["caption", "height", "Name", "show-code", "check_timeout", "a", "x y"])
# Characters, and the pieces of markup that make docutils read a field body differently.
_PIECES = list("aZ09 .,;=<>!~+/%()#'\"^?{}$&-_*`|\\[]:@") + [
    " *em*", "**strong**", " `lit`", "``code``", " ref_", " anon__", " |sub|", " [1]_", " https://x.org",
    "me@x.org", "1. ", "a) ", "(b) ", "- ", "#. ", ".. ", ":: ", "\\*", "_x", "x_y", " iv. "]
_VALUE = st.lists(st.sampled_from(_PIECES), max_size=5).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_NAMES, _VALUE), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_both_readings_agree(options, argument, continuation):
    lines = [f":{name}: {value}".rstrip() for name, value in options]
    if continuation:
        lines.insert(1, "   more text")
    head = ".. recording-stlite::" + (" app.py" if argument else "")
    _same_both_ways(head + "\n" + "".join(f"   {line}\n" for line in lines) + "\n   import streamlit as st\n")
