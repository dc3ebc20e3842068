"""The public catalogue of funded innovations and its search backends."""
