"""The HTTP service of hg-advies: FastAPI routes, roles, storage. A thin adapter over `engine`."""
