"""`Resource`: a resource's name in every form the generated code spells it, with its fields."""

from dataclasses import dataclass

from src.plumbing.scaffold.field_spec import FieldSpec


def plural(word: str) -> str:
    """English plural of a snake_case name's last word: enough for names of resources."""
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Resource:
    name: str
    fields: tuple[FieldSpec, ...]
    etag: bool = True
    # Its writes record created, changed and deleted events in the outbox (`flask scaffold --events`).
    events: bool = False

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))

    @property
    def plural_name(self) -> str:
        return plural(self.name)

    @property
    def plural_class_name(self) -> str:
        return "".join(part.capitalize() for part in self.plural_name.split("_"))

    @property
    def words(self) -> str:
        return self.name.replace("_", " ")

    @property
    def plural_words(self) -> str:
        return self.plural_name.replace("_", " ")

    @property
    def filters(self) -> tuple[FieldSpec, ...]:
        return tuple(field for field in self.fields if field.filterable)

    @property
    def writable_fields(self) -> tuple[FieldSpec, ...]:
        """The fields a body may set: all but the read-only ones, which only actions change."""
        return tuple(field for field in self.fields if not field.readonly)

    @property
    def writable_filters(self) -> tuple[FieldSpec, ...]:
        return tuple(field for field in self.filters if not field.readonly)

    @property
    def unique_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(field for field in self.fields if field.unique)

    @property
    def references(self) -> tuple[FieldSpec, ...]:
        return tuple(field for field in self.fields if field.kind == "ref")

    @property
    def can_conflict(self) -> bool:
        """A write can break a unique or foreign key constraint."""
        return bool(self.unique_fields or self.references)

    @property
    def entity_fields(self) -> tuple[FieldSpec, ...]:
        """Required fields first: a dataclass field without a default cannot follow one with a default."""
        return tuple(sorted(self.fields, key=lambda field: not field.required))
