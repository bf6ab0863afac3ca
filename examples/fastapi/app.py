"""The example workflows served by FastAPI at http://127.0.0.1:4000/api/novu.

Run from the repository root (or anywhere, with the package installed):

    NOVU_SECRET_KEY=<your secret key> python examples/fastapi/app.py

Set PORT to change the port. Without the Novu cloud, add NOVU_STRICT_AUTHENTICATION_ENABLED=false
to accept unsigned requests (for a local Novu Studio, or curl).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # a checkout: find `examples` and the package

from examples.workflows import WORKFLOWS
from novu_framework_fastapi import serve

app = FastAPI(title="Acme notifications")
app.include_router(serve(workflows=WORKFLOWS), prefix="/api/novu")


@app.get("/")
def index() -> dict[str, str]:
    return {"bridge": "/api/novu"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "4000")))
