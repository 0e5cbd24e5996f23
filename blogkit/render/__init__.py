"""Template rendering: documents and generated pages in, HTML strings out."""
