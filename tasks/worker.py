"""Entry point for `celery -A tasks.worker worker` and `celery -A tasks.worker beat`."""
from wsgi import app

celery = app.extensions["celery"]
