"""policykb: a traceable knowledge base of coalition-agreement measures.

Stages (one name each across CLI, module, Make target and docs): parse, link, compile, check,
site, query. See README.md and docs/.
"""

__version__ = "0.1.0"
