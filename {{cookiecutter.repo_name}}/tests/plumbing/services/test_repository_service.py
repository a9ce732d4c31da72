"""`RepositoryService`'s writes: at the expected version or whichever is current, after the use case's `check`."""

import unittest
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from src.domain.todo import Todo
from src.plumbing.domain import ValidationError, VersionMismatchError
from src.plumbing.services import RepositoryService
from tests.services.fake_repository import FakeRepository


class RacedRepository(FakeRepository):
    """Another writer changes the entity between each read and the next `races` writes, as a concurrent one can."""

    def __init__(self, entity_class: type, races: int) -> None:
        super().__init__(entity_class)
        self.races = races
        self.writes = 0

    def update(self, entity_id: int, data: Mapping[str, Any], expected_version: int | None = None) -> Any:
        self.race(entity_id)
        return super().update(entity_id, data, expected_version)

    def delete(self, entity_id: int, expected_version: int | None = None) -> Any:
        self.race(entity_id)
        return super().delete(entity_id, expected_version)

    def race(self, entity_id: int) -> None:
        self.writes += 1
        if self.races:
            self.races -= 1
            current = self.rows[entity_id]
            self.rows[entity_id] = replace(current, description="the other writer's", version=current.version + 1)


class AnyVersionTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repository = RacedRepository(Todo, races=0)
        self.service = RepositoryService(self.repository)
        self.todo = self.service.create({"title": "raced"})
        self.repository.races = 2

    def test_a_change_to_any_version_is_written_over_the_version_another_writer_left(self):
        changed = self.service.update(self.todo.id, {"completed": True})

        self.assertTrue(changed.completed)
        self.assertEqual(changed.description, "the other writer's")
        self.assertEqual((changed.version, self.repository.writes), (self.todo.version + 3, 3))

    def test_a_delete_of_any_version_removes_whichever_is_current(self):
        self.service.delete(self.todo.id)

        self.assertEqual(self.repository.rows, {})

    def test_a_change_to_the_version_read_is_refused_when_another_writer_got_in_first(self):
        with self.assertRaises(VersionMismatchError):
            self.service.update(self.todo.id, {"completed": True}, expected_version=self.todo.version)
        with self.assertRaises(VersionMismatchError):
            self.service.delete(self.todo.id, expected_version=self.todo.version)
        self.assertEqual(self.repository.writes, 2)
        self.assertFalse(self.service.get(self.todo.id).completed)


class NoTitleAsDescription(RepositoryService):
    """A rule that needs more than the entity: a todo may not name, as its description, another todo's title."""

    def __init__(self, repository: FakeRepository) -> None:
        super().__init__(repository)
        self.checked: list[tuple[Any, Any, int]] = []

    def check(self, entity: Todo, previous: Todo | None) -> None:
        self.checked.append((entity, previous, self.repository.transactions.depth))
        if self.repository.exists({"title": entity.description}):
            raise ValidationError("A todo may not be described by another todo's title.", field="description")


class CheckTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repository = FakeRepository(Todo)
        self.service = NoTitleAsDescription(self.repository)
        self.first = self.service.create({"title": "first"})

    def test_create_checks_the_would_be_entity_without_a_previous_one_inside_the_unit_of_work(self):
        (entity, previous, depth) = self.service.checked[0]

        self.assertEqual((entity.title, entity.id, previous), ("first", None, None))
        self.assertEqual(depth, 1)

    def test_update_checks_the_changed_entity_against_the_stored_one(self):
        self.service.update(self.first.id, {"description": "second"})

        (entity, previous, depth) = self.service.checked[-1]
        self.assertEqual((entity.description, previous, depth), ("second", self.first, 1))

    def test_a_refusal_stores_nothing(self):
        second = self.service.create({"title": "second"})
        with self.assertRaises(ValidationError):
            self.service.create({"title": "third", "description": "first"})
        with self.assertRaises(ValidationError):
            self.service.update(second.id, {"description": "first"})

        self.assertEqual([todo.title for todo in self.repository.rows.values()], ["first", "second"])
        self.assertEqual(self.service.get(second.id), second)
