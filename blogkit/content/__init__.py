"""Reading the source tree: discovery, front matter, and the document records."""
