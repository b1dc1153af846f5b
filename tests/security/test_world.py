"""The world the other tests attack holds one object of every kind an id can name."""

from .world import World


async def test_enterprise_a_has_one_object_of_every_kind(world: World) -> None:
    kinds = {
        "Account",
        "Enterprise",
        "Filing",
        "Document",
        "Attachment",
        "ExamAttempt",
        "ForeignPerson",
        "EmploymentApplication",
        "Appointment",
    }
    assert set(world.a.ids) == kinds
    assert not set(world.a.ids.values()) & set(world.b.ids.values())
