"""One module per source: live client, snapshot reader and pure parsers."""
