"""Full-text search with Pagefind: which documents are indexed (``records``) and the indexing run
(``pagefind_run``). The generator that puts the bundle into the site is ``generators.search``."""
