"""Review grids, reviewers' scores, conflicts of interest and aggregation."""
