"""SQLServiceContextRepository keeps exactly one row, created on first write."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from src.plumbing.infrastructure.databases import sqlalchemy_db
from src.plumbing.infrastructure.models.service_context_model import ServiceContextModel
from src.plumbing.infrastructure.repositories.service_context_repository import SQLServiceContextRepository
from tests.resources.app_test_base import AppTestBase


class ServiceContextRepositoryTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.repository = SQLServiceContextRepository(sqlalchemy_db.session)

    def rows(self) -> int:
        with sqlalchemy_db.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(ServiceContextModel))

    def save(self, maintenance: bool, message: str | None):
        with self.repository.unit_of_work():
            return self.repository.save(maintenance, message)

    def test_an_empty_table_reads_as_not_in_maintenance_without_writing(self):
        state = self.repository.get_current()

        self.assertFalse(state.maintenance)
        self.assertEqual(self.rows(), 0)

    def test_saves_update_one_single_row(self):
        self.save(True, "first")
        saved = self.save(False, None)

        self.assertEqual(self.rows(), 1)
        self.assertEqual(self.repository.get_current(), saved)
        self.assertIsNotNone(saved.updated_at.tzinfo)

    def test_the_table_refuses_a_second_row(self):
        self.save(True, None)
        sqlalchemy_db.session.add(ServiceContextModel(id=2, maintenance=False))

        with self.assertRaises(IntegrityError) as raised:
            sqlalchemy_db.session.commit()
        sqlalchemy_db.session.rollback()
        self.assertIn("single_row", str(raised.exception))
