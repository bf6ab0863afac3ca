"""The example workflows served by Flask at http://127.0.0.1:4000/api/novu.

Run from the repository root (or anywhere, with the package installed):

    NOVU_SECRET_KEY=<your secret key> python examples/flask/app.py

Set PORT to change the port. Without the Novu cloud, add NOVU_STRICT_AUTHENTICATION_ENABLED=false
to accept unsigned requests (for a local Novu Studio, or curl).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # a checkout: find `examples` and the package

from examples.workflows import WORKFLOWS
from novu_framework_flask import serve

app = Flask(__name__)
app.register_blueprint(serve(workflows=WORKFLOWS), url_prefix="/api/novu")


@app.get("/")
def index() -> dict[str, str]:
    return {"bridge": "/api/novu"}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "4000")), threaded=True)
