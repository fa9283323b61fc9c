"""Contest scoring rules: the range, the own-institution ban, blindness, ties, the minimum of entries, deadlines,
consent of the authors, frozen results with versions."""
from __future__ import annotations

from datetime import date

import pytest

from portal.consent.models import ConsentKind, ConsentRecord
from portal.contests import services
from portal.contests.models import ContestState, Entry
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from tenants.access import Role
from tenants.context import across_institutions, institution_scope, platform_scope
from tests.factories import make_institution, make_municipality, make_staff, make_user

TODAY = date.today()


def _consenting(inst, consent=True):
    staff = make_staff(inst)
    if consent:
        with platform_scope("fixture"):
            db.session.add(ConsentRecord(institution_id=inst.id, staff_id=staff.id, kind=ConsentKind.PUBLICATION,
                                         purpose="Конкурс", fields=["full_name"], given_on=date(2024, 1, 1)))
            db.session.commit()
    return staff


def _setup(min_entries=2, criteria="Результативность | 10\nЭффективность | 10"):
    city = make_municipality()
    a, b, c = make_institution(city), make_institution(city), make_institution(city)
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = services.create_contest(city.id, {
            "title": "Лучшие практики наставничества", "entries_from": TODAY.strftime("%d.%m.%Y"),
            "entries_until": TODAY.strftime("%d.%m.%Y"), "judging_until": TODAY.strftime("%d.%m.%Y"),
            "results_on": TODAY.strftime("%d.%m.%Y"), "nominations": f"Педагог — педагогу | {min_entries}",
            "criteria": criteria})
        jurors = [services.add_juror(row, make_user((Role.EXPERT, city)).id, role, inst)
                  for role, inst in (("chair", a.id), ("secretary", None), ("member", b.id))]
        services.open_entries(row)
    return city, (a, b, c), row, jurors


def _fresh(obj):
    """Objects do not cross tenant scopes: read the row again inside the current one."""
    return db.session.get(type(obj), obj.id)


def _city(row):
    return across_institutions(municipality_ids={row.municipality_id}, reason="test")


def _enter(row, inst, title="Практика"):
    with institution_scope(inst.id):
        row = services.contest(row.id)
        return services.submit_entry(row, {"nomination_id": row.nominations[0].id, "title": title,
                                           "description": "Описание практики"}, [_consenting(inst).id], None)


def _score(row, juror, entry, values, user_id=None):
    with _city(row):
        row = services.contest(row.id)
        juror, entry = _fresh(juror), _fresh(entry)
        a = services.assign(row, juror, entry)
        services.score(row, a, user_id or juror.user_id, {str(c.id): v for c, v in zip(row.criteria, values)}, {})


def test_entry_needs_the_authors_consent_to_publication(app):
    _, (a, _, _), row, _ = _setup()
    with institution_scope(a.id), pytest.raises(Invalid) as exc:
        services.submit_entry(row, {"nomination_id": row.nominations[0].id, "title": "П", "description": "О"},
                              [_consenting(a, consent=False).id], None)
    assert "Нет согласия на публикацию" in exc.value.fields["author_ids"]
    with institution_scope(a.id):
        assert db.session.query(Entry).count() == 0


def test_entry_after_the_deadline_is_refused(app):
    _, (a, _, _), row, _ = _setup()
    with institution_scope(a.id), pytest.raises(Invalid, match="Приём заявок открыт"):
        services.submit_entry(row, {"nomination_id": row.nominations[0].id, "title": "П", "description": "О"},
                              [_consenting(a).id], None, today=date(2099, 1, 1))


def test_a_juror_never_scores_an_entry_of_their_own_institution(app):
    _, (a, b, _), row, (chair, _, member) = _setup()
    entry = _enter(row, a)
    with _city(row):
        row = services.contest(row.id)
        services.decide_entry(_fresh(entry), True, "")
        services.start_judging(row)
        with pytest.raises(Invalid, match="своей организации"):
            services.assign(row, _fresh(chair), _fresh(entry))   # the chair works in A
        services.assign(row, _fresh(member), _fresh(entry))


def test_score_out_of_range_is_refused_and_nothing_saved(app):
    _, (a, b, _), row, (_, secretary, _) = _setup()
    entry = _enter(row, b)
    with _city(row):
        row = services.contest(row.id)
        services.decide_entry(_fresh(entry), True, "")
        services.start_judging(row)
    with pytest.raises(Invalid) as exc:
        _score(row, secretary, entry, [11, 5])
    assert "от 1 до 10" in next(iter(exc.value.fields.values()))
    with pytest.raises(Forbidden):
        _score(row, secretary, entry, [5, 5], user_id=make_user((Role.EXPERT, make_municipality())).id)
    with _city(row):
        row = services.contest(row.id)
        assert [p[1:] for p in services.progress(row)] == [(0, 0), (1, 0), (0, 0)]


def test_results_mean_of_totals_tie_rule_places_and_frozen_versions(app):
    _, (a, b, c), row, (chair, secretary, member) = _setup(min_entries=2)
    e1, e2, e3 = _enter(row, c, "Первая"), _enter(row, c, "Вторая"), _enter(row, a, "Третья")
    with _city(row):
        row = services.contest(row.id)
        for e in (e1, e2, e3):
            services.decide_entry(_fresh(e), True, "")
        services.start_judging(row)
    # Totals: e1 (9+7, 8+8) → mean 16; e2 (7+9, 8+8) → mean 16 but lower on the first criterion; e3 → 10.
    _score(row, secretary, e1, [9, 7]); _score(row, member, e1, [8, 8])
    _score(row, secretary, e2, [7, 9]); _score(row, member, e2, [8, 8])
    _score(row, secretary, e3, [5, 5]); _score(row, member, e3, [5, 5])
    from tasks.contests import compute

    assert compute.delay(row.id).get() == 1
    with _city(row):
        row = services.contest(row.id)
        row = services.contest(row.id)
        lines = [(r.entry.title, r.mean_total, r.rank, r.place) for r in services.results(row)]
        assert lines == [("Первая", 16.0, 1, "Победитель"), ("Вторая", 16.0, 2, "Призёр"), ("Третья", 10.0, 3, "Призёр")]
        with pytest.raises(Invalid, match="новая версия"):
            services.compute_results(row)
        assert services.compute_results(row, "Исправлена арифметическая ошибка") == 2
        assert len(services.results(row, 1)) == 3 and row.state is ContestState.PUBLISHED
        with pytest.raises(Invalid, match="только во время экспертизы"):
            _score(row, secretary, e1, [1, 1])


def test_a_nomination_below_its_minimum_does_not_take_place(app):
    _, (a, b, c), row, _ = _setup(min_entries=3)
    e1 = _enter(row, c)
    with _city(row):
        row = services.contest(row.id)
        services.decide_entry(_fresh(e1), True, "")
        services.start_judging(row)
        services.compute_results(row)
        assert [(r.held, r.place) for r in services.results(row)] == [(False, "Номинация не состоялась")]


def test_blind_judging_a_juror_sees_only_their_own_scores(app):
    _, (a, b, c), row, (_, secretary, member) = _setup()
    e = _enter(row, c)
    with _city(row):
        row = services.contest(row.id)
        services.decide_entry(_fresh(e), True, "")
        services.start_judging(row)
    _score(row, secretary, e, [9, 9])
    with _city(row):
        row = services.contest(row.id)
        member = _fresh(member)
        assert services.my_assignments(member) == []
        assignment = services.assign(row, member, _fresh(e))
        assert services.scores_of(assignment) == {}   # the member's sheet is empty: the secretary's 9s are not shown


def test_contest_through_the_pages_to_the_protocol(app, client, login):
    import io

    from docx import Document

    from portal.contests.models import Assignment, Contest, Juror

    city = make_municipality()
    a, b = make_institution(city, short_name="МАДОУ «Ласточка»"), make_institution(city, short_name="МАОУ СОШ № 9")
    coordinator = make_user((Role.COORDINATOR, city))
    experts = [make_user((Role.EXPERT, city)) for _ in range(2)]
    login(coordinator)
    day = TODAY.strftime("%d.%m.%Y")
    bad = client.post(f"/m/{city.slug}/contests", data={"title": "", "entries_from": day, "entries_until": day,
                                                        "judging_until": day, "results_on": "01.01.2000",
                                                        "nominations": ""})
    assert bad.status_code == 422
    r = client.post(f"/m/{city.slug}/contests", data={"title": "Лучшие практики наставничества", "entries_from": day,
                                                      "entries_until": day, "judging_until": day, "results_on": day,
                                                      "nominations": "Педагог — педагогу | 2",
                                                      "criteria": "Результативность | 10\nУникальность | 10"})
    url = r.headers["Location"]
    for user, role in zip(experts, ("chair", "secretary")):
        client.post(f"{url}/jurors", data={"user_id": user.id, "role": role})
    client.post(f"{url}/open")
    for inst in (a, b):
        curator = app.test_client()
        login(make_user((Role.CURATOR, inst)), curator)
        with institution_scope(inst.id):
            nomination_id = db.session.query(Contest).one().nominations[0].id
        author = _consenting(inst)
        r = curator.post(f"/i/{inst.slug}/contests", data={"nomination_id": nomination_id, "title": f"Практика {inst.short_name}",
                                                          "description": "Тандем «молодой педагог — наставник»",
                                                          "author_ids": [author.id]})
        assert r.status_code == 302
    with _city_of(city):
        entries = db.session.query(Entry).all()
        jurors = db.session.query(Juror).all()
    for e in entries:
        client.post(f"{url}/entries/{e.id}/admit")
    client.post(f"{url}/judging")
    for e in entries:
        for j in jurors:
            client.post(f"{url}/entries/{e.id}/assign", data={"juror_id": j.id})
    contest_id = url.rstrip("/").split("/")[-1]
    for user, marks in zip(experts, ((9, 8), (7, 6))):
        jury = app.test_client()
        login(user, jury)
        with _city_of(city):
            mine = [x for x in db.session.query(Assignment).all() if x.juror.user_id == user.id]
            criteria = db.session.query(Contest).one().criteria
        for n, assignment in enumerate(mine):
            data = {"assignment_id": assignment.id, **{f"c{c.id}": m - n for c, m in zip(criteria, marks)}}
            assert jury.post(f"/m/{city.slug}/jury/{contest_id}", data=data).status_code == 302
        out_of_range = {"assignment_id": mine[0].id, f"c{criteria[0].id}": 11, f"c{criteria[1].id}": 5}
        assert jury.post(f"/m/{city.slug}/jury/{contest_id}", data=out_of_range).status_code == 422
    client.post(f"{url}/results")
    page = client.get(url).get_data(as_text=True)
    assert "Победитель" in page and "Итоги опубликованы" in page
    doc = Document(io.BytesIO(client.get(f"{url}/protocol.docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ПРОТОКОЛ ЗАСЕДАНИЯ ЖЮРИ" in text and "Председатель жюри" in text
    assert {r.cells[4].text for r in doc.tables[0].rows[1:]} == {"Победитель", "Призёр"}
    diplomas = "\n".join(p.text for p in Document(io.BytesIO(client.get(f"{url}/diplomas.docx").data)).paragraphs)
    assert diplomas.count("ДИПЛОМ") == 2 and "ПОБЕДИТЕЛЬ" in diplomas and "Авторы:" in diplomas
    order = Document(io.BytesIO(client.get(f"{url}/order.docx?number=45-О").data))
    assert "П Р И К А З" in [p.text for p in order.paragraphs] and order.tables[0].cell(0, 1).text == "№ 45-О"
    client.post(f"/m/{city.slug}/practices/winners/{contest_id}")
    public = app.test_client().get(f"/public/{city.slug}/").get_data(as_text=True)
    assert "Итоги конкурса «Лучшие практики наставничества»" in public and "Победитель" in public
    assert "Практика МАДОУ «Ласточка»" in app.test_client().get(f"/public/{city.slug}/practices").get_data(as_text=True)
    from portal.accounts.services import create_api_token

    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(experts[0], "jury")
    sheets = api.get(f"/api/v1/m/{city.slug}/contests/{contest_id}/scores").get_json()["items"]
    assert len(sheets) == 2 and all(set(s["scores"].values()) <= {9, 8, 7} for s in sheets)  # only her own marks
    published = api.get(f"/api/v1/m/{city.slug}/contests/{contest_id}/results").get_json()
    assert published["version"] == 1 and {i["place"] for i in published["items"]} == {"Победитель", "Призёр"}


def _city_of(city):
    return across_institutions(municipality_ids={city.id}, reason="test")


def test_the_contest_heading_names_its_year_once():
    from portal.contests.models import Contest
    assert Contest(title="Лучшие практики наставничества — 2026", year=2026).heading == "Лучшие практики наставничества — 2026"
    assert Contest(title="Лучшие практики наставничества", year=2026).heading == "Лучшие практики наставничества, 2026"


def test_a_contest_without_a_chair_says_how_to_add_a_juror(app):
    city = make_municipality()
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = services.create_contest(city.id, {
            "title": "Конкурс", "entries_from": TODAY.strftime("%d.%m.%Y"), "entries_until": TODAY.strftime("%d.%m.%Y"),
            "judging_until": TODAY.strftime("%d.%m.%Y"), "results_on": TODAY.strftime("%d.%m.%Y"),
            "nominations": "Педагог — педагогу | 1"})
        services.add_juror(row, make_user((Role.EXPERT, city)).id, "secretary", None)
        with pytest.raises(Invalid) as exc:
            services.open_entries(row)
    message = str(exc.value.fields or exc.value)
    assert "нет председателя" in message and "секретаря" not in message.split("Добавьте")[0]
    assert "«Добавить в жюри»" in message and "«Эксперт»" in message


def test_publishing_results_shows_the_job_until_they_are_in_and_a_failed_one_offers_a_retry(app, client, login):
    from portal.jobs.models import Job, JobStatus
    from tenants.context import platform_scope

    city, _, row, _ = _setup()
    with _city(row):
        services.start_judging(_fresh(row))
    login(make_user((Role.COORDINATOR, city)))
    url = f"/m/{city.slug}/contests/{row.id}"
    answer = client.post(f"{url}/results")
    assert answer.status_code == 302 and "results_job=" in answer.headers["Location"]
    job_id = int(answer.headers["Location"].split("results_job=")[1])
    done = client.get(f"{url}/results/{job_id}")                     # in-process here: the job is already done
    assert done.headers["HX-Redirect"] == url
    with platform_scope("test: the worker gave up"):
        gave_up = db.session.get(Job, job_id)
        gave_up.status, gave_up.attempts = JobStatus.FAILED, 8
        db.session.commit()
    page = client.get(f"{url}?results_job={job_id}").get_data(as_text=True)
    assert "не выполнено" in page and f"/results/{job_id}/retry" in page and "hx-get" not in page.split("results-job")[1][:300]
    again = client.post(f"{url}/results/{job_id}/retry")
    assert again.status_code == 302
    db.session.expire_all()
    with platform_scope("test"):   # back to the outbox and run once more (its attempts start again)
        assert db.session.get(Job, job_id).attempts == 1
    other = _setup()[2]
    assert client.get(f"/m/{city.slug}/contests/{other.id}/results/{job_id}").status_code == 404


def _draft(city):
    return services.create_contest(city.id, {
        "title": "Конкурс", "entries_from": TODAY.strftime("%d.%m.%Y"), "entries_until": TODAY.strftime("%d.%m.%Y"),
        "judging_until": TODAY.strftime("%d.%m.%Y"), "results_on": TODAY.strftime("%d.%m.%Y"),
        "nominations": "Педагог — педагогу | 1"})


def test_only_an_expert_of_the_contests_city_sits_on_its_jury(app, client, login):
    city, other = make_municipality(), make_municipality()
    mine, stranger = make_institution(city), make_institution(other)
    login(make_user((Role.COORDINATOR, city)))
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = _draft(city)
    url = f"/m/{city.slug}/contests/{row.id}/jurors"
    expert = make_user((Role.EXPERT, city))
    refused = {"an expert of another city": {"user_id": make_user((Role.EXPERT, other)).id, "role": "chair"},
               "a curator": {"user_id": make_user((Role.CURATOR, mine)).id, "role": "chair"},
               "no one ticked": {"role": "chair"},
               "two at once": {"user_id": [expert.id, make_user((Role.EXPERT, city)).id], "role": "chair"},
               "a workplace in another city": {"user_id": expert.id, "role": "chair", "institution_id": stranger.id}}
    messages = {}
    for case, form in refused.items():
        r = client.post(url, data=form)
        assert r.status_code == 422, case
        messages[case] = r.get_data(as_text=True)
    assert "только экспертов города" in messages["an expert of another city"]
    assert "только экспертов города" in messages["a curator"]
    assert "начните вводить фамилию" in messages["no one ticked"]
    assert "по одному эксперту" in messages["two at once"]
    assert "из организаций города" in messages["a workplace in another city"]
    with across_institutions(municipality_ids={city.id}, reason="test"):
        assert services.contest(row.id).jurors == []
    r = client.post(url, data={"user_id": expert.id, "role": "chair", "institution_id": mine.id})
    assert r.status_code == 302
    with across_institutions(municipality_ids={city.id}, reason="test"):
        assert [(j.user_id, j.role, j.institution_id) for j in services.contest(row.id).jurors] == [
            (expert.id, "chair", mine.id)]


def test_the_juror_picker_suggests_the_citys_experts_by_any_word_of_the_name(app, client, login):
    city, other = make_municipality(), make_municipality()
    login(make_user((Role.COORDINATOR, city)))
    make_user((Role.EXPERT, city), name="Лебедева Анна Олеговна")
    chosen = make_user((Role.EXPERT, city), name="Лебедев Пётр Ильич")
    make_user((Role.EXPERT, other), name="Лебедева Алла Игоревна")                  # another city's expert
    make_user((Role.CURATOR, make_institution(city)), name="Лебедева Алиса Юрьевна")  # not an expert
    on_jury = make_user((Role.EXPERT, city), name="Лебедева Ольга Петровна")
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = _draft(city)
        services.add_juror(row, on_jury.id, "chair", None)
    url = f"/m/{city.slug}/contests/{row.id}/experts/suggest"
    page = client.get(url, query_string={"q": "лебед", "name": "user_id", "user_id": chosen.id}).get_data(as_text=True)
    assert "Лебедева Анна Олеговна" in page and "— эксперт" in page
    assert "Лебедев Пётр" not in page and "Алла" not in page and "Алиса" not in page and "Ольга" not in page
    assert "Лебедева Анна" in client.get(url, query_string={"q": "анна"}).get_data(as_text=True)
    assert "Лебедева Анна" in client.get(url, query_string={"q": "Лебедева Ан"}).get_data(as_text=True)
    assert "вне жюри никого не нашлось по «Орлов»" in client.get(url, query_string={"q": "Орлов"}).get_data(as_text=True)
    contest_page = client.get(f"/m/{city.slug}/contests/{row.id}").get_data(as_text=True)
    assert 'id="picker-user_id"' in contest_page and "data-single" in contest_page
    assert f'hx-get="{url}"' in contest_page and "<select" not in contest_page.split(
        'id="picker-user_id"')[1].split("</fieldset>")[0]



def test_adding_a_juror_and_the_juror_picker_refuse_unusable_input_with_a_reason_never_a_500(app, client, login):
    city = make_municipality()
    login(make_user((Role.COORDINATOR, city)))
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = _draft(city)
    url = f"/m/{city.slug}/contests/{row.id}"
    for form in ({"user_id": "9" * 30, "role": "chair"}, {"user_id": "-5", "role": "chair"},
                 {"user_id": "=1+1", "role": "chair"}, {"user_id": "1", "role": "x" * 10000},
                 {"user_id": "1", "role": "chair", "institution_id": "9" * 30}):
        r = client.post(f"{url}/jurors", data=form)
        assert r.status_code == 422 and "alert-danger" in r.get_data(as_text=True), form
    with across_institutions(municipality_ids={city.id}, reason="test"):
        assert services.contest(row.id).jurors == []
    for q in ("=cmd", "%_", "a" * 5000, "9" * 40):
        assert client.get(f"{url}/experts/suggest", query_string={"q": q, "user_id": "9" * 30}).status_code == 200
    assert client.get(f"/m/{city.slug}/contests/{'9' * 30}/experts/suggest").status_code == 404
