"""Helpers shared by the build and browser tests."""
