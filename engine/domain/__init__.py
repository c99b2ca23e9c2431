"""What the inputs mean: clause trees, resolution, the company model, coverage and scoring."""
