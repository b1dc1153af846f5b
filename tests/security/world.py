"""A small world for the security suite: two filed enterprises (A is attacked, B attacks), a user
who acts for no enterprise, the officers, and one of A's objects of every kind a GraphQL id can
name. Built through the gateway with the end-to-end suite's own steps."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import httpx

from tests.e2e.filing_steps import (
    NEW_FILING_FILES,
    SUBMIT,
    approved_by_both,
    attach_all,
    complete_filing,
    liaison_with_exam,
    officer,
)
from tests.e2e.test_permits import a_person, application, person_of, save
from tests.e2e.test_slice import ask, save_until_linked, signed_up_and_approved

OFFICERS = {
    "BRANCH_OFFICER": "branch-officer",
    "CITY_OFFICER": "city-officer",
    "LABOUR_OFFICER": "labour-officer",
    "ADMIN": "admin",
}
MINE = """{ me { id } myEnterprise { id currentFiling { id applicationForm { id } }
  attachments: currentFiling { attachments { attachment { id } } } } }"""
ATTEMPTS = "{ examAttempts(first: 5) { edges { node { id } } } }"
SLOTS = """query($l: ID!, $from: Date!, $to: Date!) { availableSlots(locationId: $l,
  serviceType: EXIT_ENTRY, from: $from, to: $to) { id remaining } }"""
BOOK = "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id number } }"
QUESTIONS = "{ questions(first: 1) { edges { node { id } } } }"


@dataclass
class Enterprise:
    phone: str
    token: str
    name: str
    uscc: str
    ids: dict[str, str] = field(default_factory=dict)  # GraphQL type name → id
    secrets: list[str] = field(default_factory=list)  # numbers that must never leak


@dataclass
class World:
    a: Enterprise
    b: Enterprise
    tokens: dict[str, str | None]  # actor → bearer token (None: anonymous)
    shared_ids: dict[str, str]  # ids that belong to nobody's enterprise (locations, slots…)
    victim_phone: str = ""

    def markers(self) -> list[str]:
        """What must not appear in an answer to anyone but A or an officer entitled to it."""
        return [self.a.name, self.a.uscc, self.a.phone, *self.a.secrets]


async def filed(gateway: httpx.AsyncClient, label: str) -> Enterprise:
    """An enterprise whose first filing is approved, with a unique name (the e2e helper's
    fixed name would make a leak of A indistinguishable from B's own data)."""
    phone, token = await liaison_with_exam(gateway)
    form = complete_filing(phone, random.randint(10**6, 10**9))
    form["enterpriseName"] = f"青岛{label}{random.randint(10**5, 10**6)}安全测试有限公司"
    await save_until_linked(gateway, token, form)
    mine = (await ask(gateway, MINE, token=token))["data"]
    filing_id = mine["myEnterprise"]["currentFiling"]["id"]
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    submitted = await ask(gateway, SUBMIT, {"id": filing_id}, token)
    assert submitted["data"]["submitFiling"]["status"] == "BRANCH_REVIEW", submitted
    await approved_by_both(gateway, filing_id)
    mine = (await ask(gateway, MINE, token=token))["data"]
    company = Enterprise(phone, token, form["enterpriseName"], form["uscc"])
    company.ids = {
        "Account": mine["me"]["id"],
        "Enterprise": mine["myEnterprise"]["id"],
        "Filing": filing_id,
        "Document": mine["myEnterprise"]["currentFiling"]["applicationForm"]["id"],
        "Attachment": mine["myEnterprise"]["attachments"]["attachments"][0]["attachment"]["id"],
    }
    attempts = (await ask(gateway, ATTEMPTS, token=token))["data"]["examAttempts"]["edges"]
    company.ids["ExamAttempt"] = attempts[0]["node"]["id"]
    return company


async def with_person_and_papers(gateway: httpx.AsyncClient, company: Enterprise) -> None:
    """A foreign person, a saved licence application and an exit-entry appointment of A."""
    person = a_person()
    person_id = await person_of(gateway, company.token, **person)
    company.secrets += [person["documentNumber"], person["visaNumber"]]
    saved = await save(gateway, company.token, application("LICENCE", person_id))
    company.ids |= {"ForeignPerson": person_id, "EmploymentApplication": saved["id"]}


async def booked(gateway: httpx.AsyncClient, company: Enterprise, location: str) -> str:
    today = dt.date.today()
    window = {"from": today.isoformat(), "to": (today + dt.timedelta(days=14)).isoformat()}
    slots = await ask(gateway, SLOTS, {"l": location, **window}, company.token)
    slot = next(s for s in slots["data"]["availableSlots"] if s["remaining"] > 1)
    body = await ask(
        gateway,
        BOOK,
        {
            "i": {
                "slotId": slot["id"],
                "serviceType": "EXIT_ENTRY",
                "foreignPersonId": company.ids["ForeignPerson"],
            }
        },
        company.token,
    )
    assert "errors" not in body, body
    company.ids["Appointment"] = body["data"]["bookAppointment"]["id"]
    return str(slot["id"])


async def build_world(gateway: httpx.AsyncClient) -> World:
    a = await filed(gateway, "甲")
    b = await filed(gateway, "乙")
    for company in (a, b):
        await with_person_and_papers(gateway, company)
    admin = await officer(gateway, "admin")
    locations = await ask(
        gateway, "{ bookingLocations(serviceType: EXIT_ENTRY) { id } }", token=a.token
    )
    location = locations["data"]["bookingLocations"][0]["id"]
    slot = await booked(gateway, a, location)
    await booked(gateway, b, location)
    question = (await ask(gateway, QUESTIONS, token=admin))["data"]["questions"]["edges"][0]
    _, lone_token = await signed_up_and_approved(gateway)  # registered, acts for no enterprise
    victim_phone, _ = await signed_up_and_approved(gateway)  # signs in wrongly until locked
    tokens: dict[str, str | None] = {
        "OTHER_ENTERPRISE_USER": b.token,
        "ENTERPRISE_USER_WITHOUT_ENTERPRISE": lone_token,
        "ANONYMOUS": None,
    }
    for role, username in OFFICERS.items():
        tokens[role] = await officer(gateway, username)
    shared = {"Location": location, "Slot": slot, "BankQuestion": question["node"]["id"]}
    return World(a, b, tokens, shared, victim_phone)
