import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    assert client.get("/api/registry/people").status_code == 401


@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR])
def test_it_lists_people_office_wide_with_masked_ids(
    client_for, role, teacher_person, other_teacher, foreign_person
):
    body = client_for(role).get("/api/registry/people").json()
    names = {p["first_name"] for p in body["items"]}
    assert names == {"สมศรี", "สมชาย"}
    assert all("xxx" in p["national_id_masked"] for p in body["items"])
    assert teacher_person.national_id not in str(body)


def test_it_scopes_the_director(client_for, teacher_person, other_teacher):
    client = client_for(Role.SCHOOL_DIRECTOR)
    names = {p["first_name"] for p in client.get("/api/registry/people").json()["items"]}
    assert names == {"สมศรี"}
    assert client.get(f"/api/registry/people/{other_teacher.pk}").status_code == 404


@pytest.mark.parametrize("role", [Role.TEACHER, Role.INSPECTOR])
def test_it_refuses_the_people_list(client_for, role):
    assert client_for(role).get("/api/registry/people").status_code == 403


def test_it_gives_a_teacher_their_own_record_only(client_for, teacher_person, other_teacher):
    client = client_for(Role.TEACHER)
    own = client.get(f"/api/registry/people/{teacher_person.pk}").json()
    assert own["areas_taught"] == ["math"] and own["phone"] == "081-234-5678"
    assert client.get(f"/api/registry/people/{other_teacher.pk}").status_code == 404


def test_it_lists_schools_for_inspectors_and_refuses_teachers(client_for, school):
    assert client_for(Role.INSPECTOR).get("/api/registry/schools").json()["count"] == 1
    assert client_for(Role.TEACHER).get("/api/registry/schools").status_code == 403


def test_it_serves_an_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/registry/people" in schema["paths"]
