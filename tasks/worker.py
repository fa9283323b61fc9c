"""Entry point for `celery -A tasks.worker worker` and `celery -A tasks.worker beat`.

Celery looks for an attribute named `app` before `celery`: the Flask app is imported under another name, or the
worker would find Flask and refuse to start."""
from wsgi import app as flask_app

celery = flask_app.extensions["celery"]
