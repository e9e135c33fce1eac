"""Stories: online clustering of documents about one happening, and storylines.

:class:`StoryAssigner` runs in the pipeline's single writer (documents in arrival order);
:func:`recluster` rebuilds every story from the store. See docs/stories.md.
"""

from newsgraph.stories.assign import StoryAssigner, recluster
from newsgraph.stories.cluster import StoryClusterer, StoryParams

__all__ = ["StoryAssigner", "StoryClusterer", "StoryParams", "recluster"]
