"""Question 2: how concentrated are tech and AI in London and the South East, and is it rising or falling?"""
