"""A realistic synthetic country, seeded and reproducible, loaded through the public API.

``world`` draws it (pure: regions from the reference data, institutions, employers, clusters,
programs, graduate cohorts, employments, requirements and assessments from latent program
quality, employer leniency and rater noise); ``loader`` sends it through the gateway with a
progress bar and a summary; ``run`` ties the two for `educluster generate` and
`educluster up --demo`. docs/generator.md describes the model and the sizes.
"""

from shared.devtools.generator.run import GenerationError, generate, load_demo
from shared.devtools.generator.sizes import SIZES, WorldSize, size_named

__all__ = ["SIZES", "GenerationError", "WorldSize", "generate", "load_demo", "size_named"]
