"""Typed filters, pages and bulk writes on PostgreSQL give what the in-memory fake gives."""

from sqlalchemy import select

from src.domain.todo import Todo
from src.infrastructure.models import TodoModel
from src.infrastructure.repositories import SQLTodoRepository
from src.plumbing.infrastructure import sqlalchemy_db
from src.plumbing.services import PageRequest
from tests.plumbing.services.test_filters import MisspeltFilters, ProbeFilters
from tests.resources.app_test_base import AppTestBase
from tests.services.fake_repository import FakeRepository

TITLES = ["a", "b", "c", "a", "b"]


class FiltersInSQLTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.sql = SQLTodoRepository(sqlalchemy_db.session)
        self.fake = FakeRepository(Todo)
        for repository in (self.sql, self.fake):
            with repository.unit_of_work():
                for title in TITLES:
                    repository.create({"title": title})

    def positions(self, repository, todos) -> list[int]:
        """Each todo's place in creation order, from 1: ids of the two storages differ."""
        first = min(todo.id for todo in repository.get_all())
        return [todo.id - first + 1 for todo in todos]

    def test_every_operator_keeps_the_same_todos_in_sql_and_in_the_fake(self):
        cases = [
            ProbeFilters(title="a"),
            ProbeFilters(titles=("a", "c")),
            ProbeFilters(titles=("b",), title="b"),
            ProbeFilters(titles=()),
        ]
        for filters in cases:
            with self.subTest(filters=filters):
                fake = self.positions(self.fake, self.fake.get_all(filters))
                sql = self.positions(self.sql, self.sql.get_all(filters))
                self.assertEqual(sql, fake)
                self.assertEqual(self.sql.count(filters), len(fake))

    def test_ranges_on_ids_agree_with_the_fake(self):
        for repository in (self.sql, self.fake):
            first = min(todo.id for todo in repository.get_all())
            filters = ProbeFilters(id_from=first + 1, id_below=first + 4, id_to=first + 2)
            with self.subTest(repository=type(repository).__name__):
                self.assertEqual([todo.title for todo in repository.get_all(filters)], ["b", "c"])

    def test_a_page_of_filtered_todos_reports_their_total(self):
        page = self.sql.get_all(ProbeFilters(titles=("a", "b")), PageRequest(page=2, per_page=3))

        self.assertEqual(([todo.title for todo in page.items], page.total, page.page), (["b"], 4, 2))

    def test_a_filter_on_a_missing_column_is_an_error_in_sql_too(self):
        with self.assertRaisesRegex(TypeError, "no column 'titel'"):
            self.sql.get_all(MisspeltFilters(titel="a"))

    def test_update_all_changes_only_matches_and_bumps_each_version(self):
        for repository in (self.sql, self.fake):
            with self.subTest(repository=type(repository).__name__), repository.unit_of_work():
                changed = repository.update_all(ProbeFilters(title="a"), {"completed": True})

                self.assertEqual(changed, 2)
                versions = {todo.title: (todo.version, todo.completed) for todo in repository.get_all()}
                self.assertEqual(versions, {"a": (2, True), "b": (1, False), "c": (1, False)})

    def test_bulk_writes_refuse_filters_that_would_touch_every_row(self):
        for repository in (self.sql, self.fake):
            for write in (lambda r: r.update_all(ProbeFilters(), {"completed": True}), lambda r: r.delete_all({})):
                with self.subTest(repository=type(repository).__name__), self.assertRaises(ValueError):
                    write(repository)
        with sqlalchemy_db.engine.connect() as connection:
            self.assertEqual(list(connection.scalars(select(TodoModel.completed).distinct())), [False])
