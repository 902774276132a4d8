"""The core: everything every front-end needs, and nothing any one of them knows about. It
imports no front-end (import-linter's layers contract in pyproject.toml)."""
