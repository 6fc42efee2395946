"""A realistic demo event of any size, for benchmarks, query-count guards and trying the site out.

`generate_event(scale=1)` builds an event the size of the Geneva 2006 seed (2 days, 12 items,
4 sessions, 23 presentations, 28 people, 3 background papers with 14 key questions, a publication);
`scale=10` builds ten times as much, whose proceedings make a book of about 150 pages (153 with the
PDF templates of November 2026). Content is made of plausible sentences from a fixed random seed,
so two runs build the same event. Rows are written with bulk_create: fast, but without history
records or signals, so the cache of public pages is invalidated explicitly at the end.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Document,
    Event,
    EventPartner,
    KeyQuestion,
    Organization,
    Person,
    Presentation,
    PresentationSpeaker,
    Room,
    Session,
)
from idm_seminar.pagecache import bump_content_version
from proceedings.models import Publication, PublicationPart

Kind = AgendaItem.Kind

FIRST_NAMES = [
    "Amina", "Bernard", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
    "Kwame", "Leila", "Manuel", "Nadia", "Olusegun", "Priya", "Quentin", "Rosa", "Samuel", "Tamar",
    "Ugo", "Valeria", "Wen", "Ximena", "Yusuf", "Zanele", "Aïcha", "Björn", "Chiara", "Deepak",
]  # fmt: skip
LAST_NAMES = [
    "Abebe", "Bianchi", "Castillo", "Dubois", "Eriksen", "Fofana", "García", "Haddad", "Ivanova",
    "Jensen", "Kamau", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Pereira", "Quispe", "Rahman",
    "Santos", "Tanaka", "Uddin", "Varga", "Wiśniewski", "Xu", "Yilmaz", "Zulu", "Ndiaye", "Reyes",
]  # fmt: skip
HONORIFICS = ["Dr.", "Dr.", "Professor", ""]
POSITIONS = [
    "Director, Department of Human Resources for Health",
    "Senior Policy Adviser",
    "Deputy Minister",
    "Head of Workforce Planning",
    "Programme Coordinator, Labour Migration",
    "Chief Medical Officer",
    "Researcher",
    "President",
    "Head of International Affairs",
    "Nurse Consultant",
]
ORGANIZATIONS = [
    ("World Health Organization", "WHO", Organization.Kind.IGO),
    ("International Labour Organization", "ILO", Organization.Kind.IGO),
    ("Ministry of Health, Kenya", "", Organization.Kind.GOVERNMENT),
    ("Ministry of Labour, Philippines", "", Organization.Kind.GOVERNMENT),
    ("Department of Health, Ireland", "", Organization.Kind.GOVERNMENT),
    ("International Council of Nurses", "ICN", Organization.Kind.PROFESSIONAL_BODY),
    ("Public Services International", "PSI", Organization.Kind.TRADE_UNION),
    ("Africa Recruit", "", Organization.Kind.PRIVATE_SECTOR),
    ("Commonwealth Secretariat", "", Organization.Kind.IGO),
    ("Queen Margaret University College", "", Organization.Kind.ACADEMIA),
    ("International Organization of Employers", "IOE", Organization.Kind.PRIVATE_SECTOR),
    ("Migrant Health Network", "", Organization.Kind.NGO),
]
COUNTRIES = ["KE", "PH", "IE", "LK", "GB", "PL", "IT", "RO", "TT", "CH", "GH", "IN", "MX", "CA"]
THEMES = [
    "the mobility of health care workers",
    "ethical recruitment",
    "circular migration of professionals",
    "retention of health workers in rural areas",
    "bilateral labour agreements",
    "recognition of qualifications",
    "diaspora engagement",
    "training capacity in countries of origin",
    "remittances and development",
    "the role of the private sector",
    "workers' rights and equity",
    "data on health workforce flows",
]
SUBJECTS = [
    "Governments",
    "Employers",
    "Countries of origin",
    "Receiving countries",
    "Professional associations",
    "Recruitment agencies",
    "Diaspora organizations",
    "Trade unions",
    "International organizations",
    "Health systems",
]
VERBS = [
    "need reliable information on",
    "have a shared interest in",
    "are looking for practical approaches to",
    "can learn from each other's experience of",
    "bear part of the cost of",
    "are only beginning to measure",
    "should be engaged early in policies on",
    "have tested partnerships on",
]
CLAUSES = [
    "while the shortage of qualified staff keeps growing",
    "so that both sending and receiving countries benefit",
    "in line with the commitments made at the last dialogue",
    "with attention to the rights of migrant workers",
    "as several case studies presented at this seminar show",
    "without weakening the health systems of countries of origin",
    "and the evidence gathered so far points in the same direction",
    "which calls for closer cooperation between ministries",
]
PRESENTATION_TITLES = [
    "The scope and impact of {theme}",
    "Managing {theme}: the experience of {country}",
    "Partnerships for {theme}",
    "Lessons learned from a decade of {theme}",
    "A recruiter's perspective on {theme}",
    "Policy options for {theme}",
    "{theme_cap}: promoting rights and equity",
    "Making {theme} a win-win situation",
]
COUNTRY_NAMES = ["Kenya", "the Philippines", "Ireland", "Sri Lanka", "Poland", "Italy", "Ghana"]
QUESTION_STARTS = [
    "What are the main obstacles to",
    "How can governments and employers cooperate on",
    "Which policies have proved effective in",
    "What role can civil society play in",
    "How can the costs and benefits be shared in",
    "What data are needed to monitor",
]


@dataclass
class _Writer:
    """Plausible prose from a seeded random generator."""

    rng: random.Random

    def sentence(self, theme: str | None = None) -> str:
        theme = theme or self.rng.choice(THEMES)
        subject, verb, clause = (
            self.rng.choice(SUBJECTS),
            self.rng.choice(VERBS),
            self.rng.choice(CLAUSES),
        )
        return f"{subject} {verb} {theme}, {clause}."

    def paragraph(self, sentences: int, theme: str | None = None) -> str:
        return " ".join(self.sentence(theme) for _ in range(sentences))

    def text(self, paragraphs: int, sentences: int = 5, theme: str | None = None) -> str:
        return "\n\n".join(self.paragraph(sentences, theme) for _ in range(paragraphs))


@dataclass
class _Plan:
    """Rows to write, collected before the bulk inserts."""

    items: list = field(default_factory=list)
    presentations: list = field(default_factory=list)  # (item index, Presentation)
    speakers: list = field(default_factory=list)  # (presentation index, person, label, order)
    roles: list = field(default_factory=list)  # (item index, person, order)


# One block of the programme, as the seed's two days: (day offset, start, end, kind, session
# slot or None, title, presentations, discussant roles). Each block has four session slots.
BLOCK = [
    (0, "09:00", "10:00", Kind.REGISTRATION, None, "Registration of participants", 0, 0),
    (0, "10:00", "10:30", Kind.OPENING, None, "Welcoming remarks", 1, 0),
    (0, "10:30", "11:15", Kind.SESSION, 0, None, 3, 1),
    (0, "11:15", "13:00", Kind.PLENARY, 0, "Plenary presentations", 4, 1),
    (0, "13:30", "14:30", Kind.PRESS_CONFERENCE, None, "Press conference", 0, 0),
    (0, "15:00", "18:00", Kind.CASE_STUDIES, 1, "Case studies", 6, 1),
    (1, "10:00", "13:00", Kind.PLENARY, 2, "Plenary presentations", 5, 1),
    (1, "14:30", "16:00", Kind.BREAKOUT, 3, "Break-out groups", 0, 1),
    (1, "16:00", "16:30", Kind.BREAK, None, "Break", 0, 0),
    (1, "16:30", "17:15", Kind.REPORT_BACK, 3, "Reports to the plenary and discussion", 3, 0),
    (1, "17:15", "17:55", Kind.CLOSING, None, "The way forward", 1, 2),
    (1, "17:55", "18:00", Kind.CLOSING, None, "Concluding remarks", 0, 0),
]
PEOPLE_PER_BLOCK = 28
SESSIONS_PER_BLOCK = 4
PAPER_SLOTS = {0: 5, 1: 5, 3: 4}  # session slot -> number of key questions


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _organizations() -> list[Organization]:
    existing = {
        o.name: o for o in Organization.objects.filter(name__in=[n for n, *_ in ORGANIZATIONS])
    }
    missing = [
        Organization(name=name, acronym=acronym, kind=kind)
        for name, acronym, kind in ORGANIZATIONS
        if name not in existing
    ]
    Organization.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Organization.objects.filter(name__in=[n for n, *_ in ORGANIZATIONS]))


@transaction.atomic
def generate_event(
    *,
    scale: int = 10,
    slug: str = "demo-seminar",
    start_date: datetime.date = datetime.date(2031, 3, 20),
    status: str = Event.Status.PUBLISHED,
    seed: int = 2006,
) -> Event:
    """Build a published event `scale` times the size of the seed event, and return it.

    The event's people get slugs prefixed with the event's slug, so several demo events can live
    side by side; `slug` must not be taken yet.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)
    writer = _Writer(rng)
    iom, _ = Organization.objects.get_or_create(
        name="International Organization for Migration",
        defaults={"acronym": "IOM", "kind": Organization.Kind.IGO},
    )
    organizations = _organizations()
    days = 2 * scale
    event = Event.objects.create(
        slug=slug,
        series_number=rng.randint(10, 40),
        title=f"Migration and Health Workforce: Demonstration Seminar ({scale}×)",
        series_theme="Partnerships in Migration: Engaging Business and Civil Society",
        start_date=start_date,
        end_date=start_date + datetime.timedelta(days=days - 1),
        time_zone="Europe/Zurich",
        venue="International Conference Centre Geneva (CICG)",
        venue_short_name="CICG",
        city="Geneva",
        country="CH",
        organizer=iom,
        introduction=writer.text(2, 5),
        overview=writer.text(3, 5),
        objectives=writer.text(1, 4),
        agenda_introduction=writer.text(1, 4),
        status=status,
    )
    EventPartner.objects.bulk_create(
        [
            EventPartner(event=event, organization=organizations[0], order=1),
            EventPartner(event=event, organization=organizations[1], order=2),
            EventPartner(
                event=event,
                organization=organizations[4],
                role=EventPartner.Role.CO_SPONSOR,
                order=3,
            ),
        ]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(event=event, name="Room 2", capacity=400),
            Room(event=event, name="Room 3", capacity=80),
            Room(event=event, name="Room 4", capacity=80),
        ]
    )

    people = Person.objects.bulk_create(
        [
            Person(
                honorific=rng.choice(HONORIFICS),
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                post_nominals=rng.choice(["", "", "", "PhD", "JD"]),
                slug=f"{slug}-person-{n + 1}",
                position=rng.choice(POSITIONS),
                organization=rng.choice(organizations),
                country=rng.choice(COUNTRIES),
                bio=writer.text(1, 4),
                email=f"person{n + 1}@{slug}.example.org",
            )
            for n in range(PEOPLE_PER_BLOCK * scale)
        ]
    )

    sessions = []
    for n in range(SESSIONS_PER_BLOCK * scale):
        theme = THEMES[n % len(THEMES)]
        sessions.append(
            Session(
                event=event,
                number=n + 1,
                slug=f"session-{n + 1}",
                title=f"{theme[0].upper()}{theme[1:]}: from awareness to action",
                theme=" ".join(
                    f"{rng.choice(QUESTION_STARTS)} {theme}?" for _ in range(rng.randint(2, 3))
                ),
            )
        )
    sessions = Session.objects.bulk_create(sessions)

    plan = _Plan()
    for block in range(scale):
        block_people = people[block * PEOPLE_PER_BLOCK : (block + 1) * PEOPLE_PER_BLOCK]
        speaker_pool = iter(block_people * 3)
        block_sessions = sessions[block * SESSIONS_PER_BLOCK : (block + 1) * SESSIONS_PER_BLOCK]
        for day, start, end, kind, slot, title, talks, discussants in BLOCK:
            session = block_sessions[slot] if slot is not None else None
            item = AgendaItem(
                event=event,
                session=session,
                date=start_date + datetime.timedelta(days=2 * block + day),
                start_time=_time(start),
                end_time=_time(end),
                kind=kind,
                title=title or session.title,
                description=writer.paragraph(2) if kind in (Kind.SESSION, Kind.BREAKOUT) else "",
                room=rooms[1] if kind == Kind.BREAKOUT else rooms[0],
                is_parallel=kind == Kind.BREAKOUT,
            )
            plan.items.append(item)
            item_index = len(plan.items) - 1
            for order in range(talks):
                theme = rng.choice(THEMES)
                presentation = Presentation(
                    title=rng.choice(PRESENTATION_TITLES).format(
                        theme=theme,
                        theme_cap=theme[0].upper() + theme[1:],
                        country=rng.choice(COUNTRY_NAMES),
                    ),
                    abstract=writer.paragraph(rng.randint(3, 5), theme),
                    order=order,
                )
                plan.presentations.append((item_index, presentation))
                presentation_index = len(plan.presentations) - 1
                two_speakers = kind == Kind.CASE_STUDIES and order % 3 == 2
                for speaker_order in range(2 if two_speakers else 1):
                    label = rng.choice(COUNTRY_NAMES).removeprefix("the ") if two_speakers else ""
                    plan.speakers.append(
                        (presentation_index, next(speaker_pool), label, speaker_order)
                    )
            for order in range(discussants):
                plan.roles.append((item_index, next(speaker_pool), order))

    items = AgendaItem.objects.bulk_create(plan.items)
    presentations = []
    for item_index, presentation in plan.presentations:
        presentation.item = items[item_index]
        presentations.append(presentation)
    presentations = Presentation.objects.bulk_create(presentations)
    PresentationSpeaker.objects.bulk_create(
        [
            PresentationSpeaker(
                presentation=presentations[index], person=person, label=label, order=order
            )
            for index, person, label, order in plan.speakers
        ],
        ignore_conflicts=True,
    )
    AgendaItemRole.objects.bulk_create(
        [
            AgendaItemRole(
                item=items[index],
                person=person,
                role=AgendaItemRole.Role.DISCUSSANT,
                order=order,
            )
            for index, person, order in plan.roles
        ],
        ignore_conflicts=True,
    )

    papers = []
    for block in range(scale):
        for slot in PAPER_SLOTS:
            session = sessions[block * SESSIONS_PER_BLOCK + slot]
            theme = THEMES[(block * SESSIONS_PER_BLOCK + slot) % len(THEMES)]
            papers.append(
                BackgroundPaper(
                    session=session,
                    title=session.title,
                    body=writer.text(rng.randint(3, 4), 5, theme),
                )
            )
    papers = BackgroundPaper.objects.bulk_create(papers)
    questions = []
    for paper, count in zip(papers, list(PAPER_SLOTS.values()) * scale, strict=True):
        for order in range(count):
            theme = rng.choice(THEMES)
            questions.append(
                KeyQuestion(
                    paper=paper, order=order, text=f"{rng.choice(QUESTION_STARTS)} {theme}?"
                )
            )
    KeyQuestion.objects.bulk_create(questions)

    documents = [
        Document(
            event=event,
            kind=Document.Kind.RELATED,
            title="International Dialogue on Migration No. 6 – Health and Migration",
            url="https://publications.iom.int/",
            order=1,
        ),
        Document(
            event=event,
            kind=Document.Kind.EVENT,
            title="List of participants",
            description=writer.sentence(),
            order=1,
        ),
    ]
    documents += [
        Document(
            event=event,
            session=paper.session,
            kind=Document.Kind.RELATED,
            title=f"{paper.session.label}: {paper.session.title}",
            order=10 + n,
        )
        for n, paper in enumerate(papers)
    ]
    Document.objects.bulk_create(documents)

    publication = Publication.objects.create(
        event=event,
        series_number=event.series_number,
        title=event.title,
        issn="1726-2224",
        pages=150 * scale // 10 or 15,
        year=start_date.year,
        languages="English",
        summary=writer.text(3, 5),
        is_published=True,
    )
    PublicationPart.objects.bulk_create(
        [
            PublicationPart(publication=publication, order=n, title=title)
            for n, title in enumerate(
                [
                    "Foreword",
                    "Acronyms and abbreviations",
                    "Part I: Report of the seminar",
                    "Part II: Seminar agenda",
                    "Part III: Abstracts of the speakers' presentations",
                    "Annexes",
                ]
            )
        ]
    )
    transaction.on_commit(bump_content_version)
    return event
