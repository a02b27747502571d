"""Running the study: the run plan, the pipeline, its cache, warm kernels, the command line."""
