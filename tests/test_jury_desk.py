"""The juror's desk: each contest they judge with how many of their entries they have scored."""
from __future__ import annotations

from portal.accounts.models import User
from portal.contests import services
from portal.extensions import db
from tests.test_contests import _city, _enter, _fresh, _score, _setup


def test_a_juror_lands_on_the_entries_waiting_for_their_score(app, client, login):
    city, (_a, _b, c), row, (_chair, secretary, _member) = _setup()
    first, second = _enter(row, c, "Первая практика"), _enter(row, c, "Вторая практика")
    with _city(row):
        row = services.contest(row.id)
        for e in (first, second):
            services.decide_entry(_fresh(e), True, "")
        services.start_judging(row)
        services.assign(row, _fresh(secretary), _fresh(second))
    _score(row, secretary, first, [8, 7])
    user = db.session.get(User, secretary.user_id)
    login(user)
    landing = client.get("/", follow_redirects=True)
    html = landing.get_data(as_text=True)
    assert landing.status_code == 200 and landing.request.path == f"/m/{city.slug}/jury"
    assert "Секретарь жюри" in html and "оценено 1 из 2" in html
    assert "Ждут вашей оценки: 1 заявка." in html and "Оценить" in html
