"""Question 4: the claims in the articles and the policy paper, checked against open data."""
