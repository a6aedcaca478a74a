"""The soft criteria, one module each; `tandems.matching.registry` lists them in order."""
