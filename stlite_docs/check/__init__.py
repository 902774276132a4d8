"""The check engines, each on its own: compile as Python 3.13 (``syntax``), resolve imports
against Pyodide (``imports``), run once headlessly (``run``), and their results by content hash
(``cache``). ``stlite_docs.core.checks`` decides which run and turns results into problems."""
