"""REST API and web UI over a newsgraph store (FastAPI, server-rendered Jinja2 templates).

from newsgraph.web import create_app
app = create_app(Store.open("news.db"))
"""

from newsgraph.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
