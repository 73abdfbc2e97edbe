"""Test support, not part of gongkai: slows down `gongkai serve`'s full builds.

A test that must observe something *before* a full build finishes (the preview of an edited
page) puts this folder first on `PYTHONPATH` and sets `SLOW_BUILD_SECONDS`. Python imports
`sitecustomize` at start-up in every process of the served test; in the build worker only
(`gongkai.serve.builder.main`), every request but the first then waits that many seconds
before the build starts, like the build of a large site would take. SIGTERM during the wait
ends the worker, as it ends a running build (a newer save cancels the stale build).
"""

from __future__ import annotations

import os
import signal
import time

SECONDS = float(os.environ.get("SLOW_BUILD_SECONDS", "0"))

if SECONDS:
    from gongkai.serve import builder

    serve_requests = builder.serve_requests

    def slow_serve_requests(handle, idle=None):  # type: ignore[no-untyped-def]
        served = [0]

        def slow(request, send):  # type: ignore[no-untyped-def]
            if request[0] == "build" and served[0]:
                previous = signal.signal(signal.SIGTERM, lambda *_: os._exit(3))
                try:
                    time.sleep(SECONDS)
                finally:
                    signal.signal(signal.SIGTERM, previous)
            served[0] += 1
            return handle(request, send)

        return serve_requests(slow, idle)

    builder.serve_requests = slow_serve_requests
