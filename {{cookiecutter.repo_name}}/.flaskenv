FLASK_APP=src.app
