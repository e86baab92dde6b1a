"""Read models: figures and derived views computed by the database."""
