"""The `prefect_api` fixture lives in tests/conftest.py: one test server for every folder."""
