"""Every root operation of the supergraph, with arguments filled from the schema: ids from the
world by the type or argument name they stand for, other scalars by type, inputs field by field.
A new operation is picked up from `gateway/supergraph.graphql` without touching this file; a
new kind of id fails loudly until `ID_KINDS` says which object it names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    build_ast_schema,
    get_named_type,
    is_leaf_type,
    parse,
)

from devstack.stack import ROOT

SUPERGRAPH = ROOT / "gateway" / "supergraph.graphql"
# Argument or input field name → the type of object its id names. `id` itself names the type
# the operation returns. Ids of shared things (locations, slots, questions) are real but belong
# to no enterprise.
ID_KINDS = {
    "filingId": "Filing",
    "enterpriseId": "Enterprise",
    "accountId": "Account",
    "attemptId": "ExamAttempt",
    "questionId": "BankQuestion",
    "locationId": "Location",
    "slotId": "Slot",
    "attachmentId": "Attachment",
    "exitEntryOpinionAttachmentId": "Attachment",
    "foreignPersonId": "ForeignPerson",
    "applicationId": "EmploymentApplication",
    "appointmentId": "Appointment",
    "offerId": "WaitlistOffer",
}
# Connections and wrappers: the id of `WaitlistEntry` is the appointment waitlist of A's person.
RETURN_KINDS = {"WaitlistEntry": "WaitlistEntry", "ClosedDay": "Location"}


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" or "mutation"
    name: str
    field: GraphQLField

    @property
    def takes_ids(self) -> bool:
        return any(_mentions_id(arg.type, set()) for arg in self.field.args.values())


@cache
def supergraph() -> GraphQLSchema:
    return build_ast_schema(parse(SUPERGRAPH.read_text()), assume_valid=True)


def operations() -> list[Operation]:
    schema = supergraph()
    found: list[Operation] = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        found += [Operation(kind, name, field) for name, field in root.fields.items()]
    return found


def _mentions_id(type_: GraphQLInputType, seen: set[str]) -> bool:
    named = get_named_type(type_)
    if named.name == "ID":
        return True
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        seen.add(named.name)
        return any(_mentions_id(f.type, seen) for f in named.fields.values())
    return False


IdLookup = Callable[[str], str]


@dataclass
class Filler:
    """Builds variables for one call. `ids(kind)` answers an id of that kind; `overrides` gives
    realistic inputs by input type name (so a call reaches the access check instead of stopping
    at validation); `text` answers strings by argument name (search terms aim at A's data)."""

    ids: IdLookup
    overrides: dict[str, Callable[[], dict[str, Any]]]
    text: Callable[[str], str]

    def call(self, operation: Operation) -> tuple[str, dict[str, Any]]:
        """The document and variables calling `operation` with every argument."""
        variables: dict[str, Any] = {}
        declared: list[str] = []
        passed: list[str] = []
        owner = _return_kind(operation.field.type)
        for index, (name, arg) in enumerate(operation.field.args.items()):
            value = self.value(name, arg.type, owner)
            if value is None and not isinstance(arg.type, GraphQLNonNull):
                continue
            declared.append(f"$v{index}: {arg.type}")
            passed.append(f"{name}: $v{index}")
            variables[f"v{index}"] = value
        head = f"{operation.kind} ({', '.join(declared)})" if declared else operation.kind
        call = f"{operation.name}({', '.join(passed)})" if passed else operation.name
        return f"{head} {{ {call}{selection(operation.field.type)} }}", variables

    def value(self, name: str, type_: GraphQLInputType, owner: str) -> Any:
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLList):
            item = self.value(name, inner.of_type, owner)
            return None if item is None else [item]
        named = get_named_type(inner)
        if named.name == "ID":
            return self.ids(owner if name == "id" else _id_kind(name))
        if isinstance(named, GraphQLEnumType):
            return next(iter(named.values))
        if isinstance(named, GraphQLInputObjectType):
            if named.name in self.overrides:
                return self.overrides[named.name]()
            return {
                field_name: self.value(field_name, field.type, owner)
                for field_name, field in named.fields.items()
            }
        return _scalar(named.name, name, self.text)


def _id_kind(name: str) -> str:
    if name not in ID_KINDS:
        raise AssertionError(
            f"an id argument named {name!r}: add which object it names to ID_KINDS"
        )
    return ID_KINDS[name]


def _return_kind(type_: GraphQLOutputType) -> str:
    named = get_named_type(type_).name
    return RETURN_KINDS.get(named, named)


def _scalar(type_name: str, arg_name: str, text: Callable[[str], str]) -> Any:
    tomorrow = dt.date.today() + dt.timedelta(days=7)
    values: dict[str, Any] = {
        "Int": 1,
        "Float": 1.0,
        "Boolean": True,
        "Date": tomorrow.isoformat(),
        "DateTime": dt.datetime.now(dt.UTC).isoformat(),
        "Time": "08:30",
    }
    if type_name in values:
        return values[type_name]
    if type_name == "Upload":
        return None
    return text(arg_name)


def selection(type_: GraphQLOutputType, depth: int = 3) -> str:
    """Every leaf field, and object fields without required arguments, `depth` levels down."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if not isinstance(named, GraphQLObjectType) or depth == 0:
        return " { __typename }"
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            parts.append(name)
        elif depth > 1 and not _renders_a_file(field):
            parts.append(name + selection(field.type, depth - 1))
    return " { " + " ".join(parts) + " }"


def _renders_a_file(field: GraphQLField) -> bool:
    """Fields that render a PDF on demand: worth nothing to a leak search (their ids and links
    are looked at through the parent), costly on two cores."""
    return get_named_type(field.type).name == "Document"


def leaked(answer: dict[str, Any], markers: list[str]) -> list[str]:
    """The markers found anywhere in an answer (data and error messages alike)."""
    text = repr(answer)
    return [m for m in markers if m and re.search(re.escape(m), text)]
