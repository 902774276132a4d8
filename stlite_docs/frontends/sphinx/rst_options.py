"""Read the option block of ``.. stlite::`` without docutils' nested parser, when it is simple.

docutils reads a directive's options (``:caption: A demo``) as a field list, through a nested
state machine that it builds anew for every directive: about 0.3 ms per block, most of what an
app block with options costs to read, and several percent of a large site's build
(benchmarks/build.py). For our directive only, lines of the plain form ``:name: value`` are
read here instead, with exactly docutils' result; any other option block (continuation lines,
names with markup, repeated names) goes to docutils as before, with its own messages. ``tests/unit/test_rst_options.py`` compares both
readings on generated option blocks.

MyST does not come here: it reads directive options itself.
"""

from __future__ import annotations

import re

from docutils.parsers.rst import states

# docutils reads an extension option's value as plain text (no inline markup, no nested
# body elements: states.ExtensionOptions), so a one-line value is taken as it stands. The name
# is kept to plain words: docutils parses field names as inline text.
_SIMPLE_LINE = re.compile(r":([A-Za-z][A-Za-z0-9-]*):(?: +(\S.*))?")
_FIELD_MARKER = re.compile(states.Body.patterns["field_marker"])


def simple_options(option_presets: dict, option_spec, arg_block):
    """``(options, arguments)`` as ``Body.parse_directive_options`` gives them, or None when
    the option block is not one this reading takes."""
    for i, line in enumerate(arg_block):
        if _FIELD_MARKER.match(line):
            opt_lines, arg_block = arg_block[i:], arg_block[:i]
            break
    else:
        return option_presets.copy(), arg_block
    read: dict[str, str | None] = {}
    for line in opt_lines:
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        name, value = match.group(1).lower(), match.group(2)
        if name in read:
            return None  # docutils says what is wrong with it
        read[name] = value
    options = option_presets.copy()
    for name, value in read.items():
        options[name] = option_spec[name](value)
    return options, arg_block


def install(option_spec_type: type) -> None:
    """Read the options of directives whose ``option_spec`` is an ``option_spec_type`` here
    first. Every other directive is left to docutils untouched. Idempotent."""
    original = states.Body.parse_directive_options
    if getattr(original, "stlite_docs_fast_options", None) is not None:
        original.stlite_docs_fast_options.add(option_spec_type)
        return
    types = {option_spec_type}

    def parse_directive_options(self, option_presets, option_spec, arg_block):
        if type(option_spec) in types:
            fast = simple_options(option_presets, option_spec, arg_block)
            if fast is not None:
                return fast
        return original(self, option_presets, option_spec, arg_block)

    parse_directive_options.stlite_docs_fast_options = types
    states.Body.parse_directive_options = parse_directive_options
