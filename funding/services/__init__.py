"""Every change of a convention, its money and its reports goes through these services."""
