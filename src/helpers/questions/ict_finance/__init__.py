"""Question 1: is ICT (SIC J) growing faster than finance (SIC K), where, and on which price basis?"""
