"""newsclean's Prefect flows, tasks and command line."""
