"""Question 2, the AI ecosystem: nine indicators per region, ranks and a descriptive composite."""
