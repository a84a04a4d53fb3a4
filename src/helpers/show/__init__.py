"""The display layer: the house style and caption (``style``), chart builders (``charts``), reader's tables with
their CSV (``tables``) and the output bundle every chart and table is shown with (``outputs``)."""
