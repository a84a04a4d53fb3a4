"""Question 4: a profile of every area (ITL1, ITL2, ITL3)."""
