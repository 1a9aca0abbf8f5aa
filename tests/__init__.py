"""The project's own test suite (a package, so its conftest never clashes with examples/)."""
