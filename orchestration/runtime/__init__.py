"""What runs a run: the run lock, the dead-run reaper, the Dagster instance and its storage,
the job launch and its progress display; every private Dagster API sits in ``dagster_private``."""
