"""Compare areas (notebooks/compare_areas.ipynb): two to six areas at any ITL level side by side with the UK, and
the areas most similar to one area (``tables.similar_areas``)."""
