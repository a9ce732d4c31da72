"""`Filters`: what a declaration keeps, and the mistakes it refuses, without any database."""

import unittest
from dataclasses import dataclass

from src.domain.todo import Todo
from src.plumbing.services import Filters, at_least, at_most, equal, greater_than, less_than, one_of


@dataclass(frozen=True)
class ProbeFilters(Filters):
    title: str | None = equal()
    titles: tuple[str, ...] | None = one_of("title")
    id_from: int | None = at_least("id")
    id_to: int | None = at_most("id")
    id_above: int | None = greater_than("id")
    id_below: int | None = less_than("id")


@dataclass(frozen=True)
class MisspeltFilters(Filters):
    titel: str | None = equal()


@dataclass(frozen=True)
class UndeclaredFilters(Filters):
    title: str | None = None


TODOS = [Todo(title=title, id=number) for number, title in enumerate("abcab", start=1)]


def kept(filters: Filters) -> list[int]:
    return [todo.id for todo in TODOS if filters.matches(todo)]


class FiltersTest(unittest.TestCase):
    def test_each_operator_keeps_what_it_says(self):
        cases = {
            ProbeFilters(): [1, 2, 3, 4, 5],
            ProbeFilters(title="a"): [1, 4],
            ProbeFilters(titles=("a", "c")): [1, 3, 4],
            ProbeFilters(id_from=4): [4, 5],
            ProbeFilters(id_to=2): [1, 2],
            ProbeFilters(id_above=4): [5],
            ProbeFilters(id_below=2): [1],
            ProbeFilters(title="b", id_from=3): [5],
        }
        for filters, expected in cases.items():
            with self.subTest(filters=filters):
                self.assertEqual(kept(filters), expected)

    def test_only_filters_given_a_value_become_conditions(self):
        (condition,) = ProbeFilters(id_below=3).conditions()

        self.assertEqual((condition.target, condition.operator, condition.value), ("id", "lt", 3))

    def test_a_missing_value_matches_no_comparison_as_in_sql(self):
        self.assertFalse(ProbeFilters(id_from=0).matches(Todo(title="new")))

    def test_a_filter_on_a_field_the_entity_lacks_is_an_error_not_a_pass(self):
        with self.assertRaisesRegex(TypeError, "Todo has no field 'titel'"):
            MisspeltFilters(titel="a").matches(TODOS[0])

    def test_a_field_not_declared_as_a_filter_is_refused(self):
        with self.assertRaisesRegex(TypeError, r"UndeclaredFilters.title is not declared with equal\(\)"):
            UndeclaredFilters(title="a").conditions()
