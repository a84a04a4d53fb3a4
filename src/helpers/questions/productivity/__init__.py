"""Question 3: does ICT growth go with productivity growth outside London?"""
