"""hg-advies engine: a casus in, an explained advies out. A pure library: no web, no database, and no
project rules: `rules.standaard_engine()` gives it the Rotterdam rules, parameters and sources."""
