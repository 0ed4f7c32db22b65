# The advisor app, as the README installs and runs it. Several containers of this image share one
# PostgreSQL through ADVISOR_DATABASE_URL (see compose.yaml and docs/deploy.md).
FROM python:3.11-slim-bookworm

RUN useradd --create-home --uid 10001 advisor
WORKDIR /app
COPY requirements.txt ./
# The README's install command.
RUN python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
COPY app.py ./
# Streamlit's settings: no error details, no Deploy button or developer menu, 1 MB uploads.
COPY .streamlit/ .streamlit/
COPY advisor/ advisor/
COPY ui/ ui/
COPY rules/ rules/
COPY examples/ examples/
RUN chown -R advisor:advisor /app/rules
USER advisor

ENV ADVISOR_RULES_DIR=/app/rules \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD [".venv/bin/python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() != b'ok')"]
# One line in the log about the store (or why saving is off), then the README's run command.
CMD ["sh", "-c", ".venv/bin/python -m advisor.store check; exec .venv/bin/streamlit run app.py --server.address 0.0.0.0 --server.port 8501"]
