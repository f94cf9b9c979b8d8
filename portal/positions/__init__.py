"""Position papers (standpunkt) published by organisations."""
