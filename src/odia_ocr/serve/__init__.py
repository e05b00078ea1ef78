"""`odia-ocr serve`: OCR over HTTP with a web page (the [serve] extra: FastAPI + uvicorn).

``ocr`` holds the framework-free service, ``app`` the HTTP routes, and
``static/`` the single web page.
"""
