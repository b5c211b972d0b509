# The library service: python:3.11-slim, a non-root user, `library serve --migrate` on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 library
WORKDIR /app

# The package is installed in editable mode from /app: its SQL migrations live next to it
# (migrations/), where `library migrate` and `serve --migrate` look for them.
COPY pyproject.toml README.md ./
COPY library ./library
COPY migrations ./migrations
RUN pip install -e . && chown -R library:library /app

USER library
EXPOSE 8000

# curl is not in the slim image: probe with Python's own urllib.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]

CMD ["library", "serve", "--host", "0.0.0.0", "--port", "8000", "--migrate"]
