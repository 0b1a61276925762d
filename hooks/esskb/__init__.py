"""esskb: a static knowledge base for the social and solidarity economy (ESS).

The package is a pipeline, one module per stage:

* ``loading``      read Markdown files and YAML data files (with line numbers)
* ``validation``   check them against the content contract, build the model
* ``model``        the immutable corpus (fiches, cases, vocabularies)
* ``links``        typed links (``fiche:5``, ``cas:slug`` ...) found and resolved
* ``xrefs``        relations computed once: backlinks, cases per fiche, related items
* ``pages``        every generated page as plain Markdown (no MkDocs import)
* ``outputs``      kb.json, feeds, newsletter block

Only ``hooks/esskb_hooks.py`` talks to MkDocs.
"""

__version__ = "0.1.0"
