"""The baseline: hand-written Flask + Flask-SQLAlchemy serving the same `todo` table, no layers."""

import json
import math
import os
from datetime import UTC, datetime

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["SQLALCHEMY_DATABASE_URI"]
db = SQLAlchemy(app, session_options={"expire_on_commit": False})


class Todo(db.Model):
    __tablename__ = "todo"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.String(2000), nullable=False, default="")
    completed = db.Column(db.Boolean, nullable=False, default=False)
    version = db.Column(db.Integer, nullable=False, default=1)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "completed": self.completed,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "updated_at": self.updated_at.astimezone(UTC).isoformat(),
        }


@app.get("/v1/todo/<int:todo_id>")
def get_todo(todo_id):
    todo = db.session.get(Todo, todo_id)
    if todo is None:
        abort(404)
    return todo.to_json()


@app.get("/v1/todo")
def list_todos():
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", 20, type=int)
    todos = db.session.scalars(db.select(Todo).order_by(Todo.id).offset((page - 1) * per_page).limit(per_page)).all()
    total = db.session.scalar(db.select(db.func.count()).select_from(Todo))
    pagination = {"total": total, "total_pages": math.ceil(total / per_page), "page": page}
    return [todo.to_json() for todo in todos], {"X-Pagination": json.dumps(pagination)}


@app.post("/v1/todo")
def create_todo():
    data = request.get_json()
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        abort(422)
    now = datetime.now(UTC)
    todo = Todo(
        title=data["title"],
        description=data.get("description", ""),
        completed=data.get("completed", False),
        created_at=now,
        updated_at=now,
    )
    db.session.add(todo)
    db.session.commit()
    return todo.to_json(), 201
