"""Demo public section: news of the city and of «Югорка», the demo mentor's and mentee's consent to publish their
names, and a case in the best-practice bank. Idempotent."""
from __future__ import annotations

from datetime import date

from portal import clock
from portal.consent.models import ConsentKind, ConsentRecord
from portal.extensions import db
from portal.public.models import BestPractice, NewsItem
from portal.staff.models import Staff
from tenants.context import across_institutions


def load(municipality, institutions: dict) -> None:
    with across_institutions(municipality_ids={municipality.id}, reason="demo public section"):
        if db.session.execute(db.select(NewsItem.id)).first() is not None:
            return
        yugorka = institutions["yugorka"]
        now = clock.now()
        db.session.add_all([
            NewsItem(municipality_id=municipality.id, kind="announcement", published_at=now,
                     title="Городской семинар кураторов наставничества",
                     body="Семинар-совещание кураторов по внедрению целевой модели наставничества пройдёт в управлении образования."),
            NewsItem(municipality_id=municipality.id, institution_id=yugorka.id, kind="news", published_at=now,
                     title="Открытое занятие молодого педагога",
                     body="Наставляемая провела открытое занятие; наставник и коллеги обсудили результаты."),
            NewsItem(municipality_id=municipality.id, institution_id=yugorka.id, kind="recommendation", published_at=now,
                     title="Памятка наставнику", body="Как составить персонализированную программу наставничества за один месяц."),
            BestPractice(municipality_id=municipality.id, institution_id=yugorka.id, state="approved", source="proposal",
                         title="«Школа молодого воспитателя»", topic="Адаптация",
                         form_name="Традиционная форма наставничества («один-на-один»)",
                         summary="Еженедельные консультации, взаимопосещения и совместная подготовка открытых занятий."),
        ])
        for staff in db.session.execute(db.select(Staff).where(Staff.institution_id == yugorka.id,
                                                               Staff.user_id.is_not(None))).scalars():
            if staff.user and staff.user.email.split(".")[0] in ("mentor", "mentee"):
                db.session.add(ConsentRecord(institution_id=yugorka.id, staff_id=staff.id, kind=ConsentKind.PUBLICATION,
                                             purpose="Раздел «Наставничество» на сайте организации",
                                             fields=["full_name", "position", "category"], given_on=date.today(),
                                             text_version="2026-1", method="письменно"))
        db.session.commit()
