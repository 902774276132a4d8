"""Finding stlite blocks in sources, as the front-ends would: code examples are not blocks."""

from __future__ import annotations

from stlite_docs.core.fences import find_blocks

RST = """\
Title
=====

.. code-block:: rst

   .. stlite::

      import not_an_app

Shown literally::

    .. stlite::

       import not_an_app_either

.. note::

   .. stlite:: apps/demo.py
      :height: 300px

.. stlite::
   :caption: Real

   import streamlit as st

   st.write(".. stlite:: inside the code is code")
"""


def test_rst_code_examples_are_skipped_and_nested_directives_found():
    blocks = find_blocks(RST, ".rst")
    assert [(b.line, b.entry_file, b.options) for b in blocks] == [
        (18, "apps/demo.py", {"height": "300px"}),
        (21, None, {"caption": "Real"}),
    ]
    assert blocks[1].body_line == 24
    assert blocks[1].body == 'import streamlit as st\n\nst.write(".. stlite:: inside the code is code")\n'


MARKDOWN = """\
````markdown
```stlite
import shown_as_code
```
````

!!! note
    ```stlite height="300px" file="apps/a.py"
    ```

~~~stlite
x = 1
~~~
"""


def test_markdown_fences_nested_and_shown():
    blocks = find_blocks(MARKDOWN, ".md")
    assert [(b.line, b.body_line, b.options, b.entry_file, b.body) for b in blocks] == [
        (8, 9, {"height": "300px"}, "apps/a.py", ""),
        (11, 12, {}, None, "x = 1\n"),
    ]


def test_myst_reads_the_rest_of_the_fence_as_the_argument():
    [block] = find_blocks("```stlite apps/a.py\n:height: 300px\n\n#| caption: c\n```\n", ".md", myst=True)
    assert (block.entry_file, block.options, block.body_line, block.body) == (
        "apps/a.py",
        {"height": "300px"},
        4,
        "#| caption: c\n",
    )
