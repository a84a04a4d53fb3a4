"""One loader module per source family; each ``build_*`` function takes {source id: raw path} and returns
a tidy table (see helpers.data.schema). They are registered in helpers.data.datasets and imported only when a
dataset is built."""
