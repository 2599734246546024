"""The replay report in every form: terminal table, CSV and JSON (`rapport.tekst`) and HTML (`rapport.html`),
used by the command line (`cli/`) and the service (`api/`) alike."""
