"""The seed event, compared with the source documents of the Geneva 2006 seminar.

The expected facts are written out here, copied from the event's web page, the background papers
of sessions I, II and IV and the publication page, so that a wrong or missing row fails a test.
"""

import datetime
import io

from django.apps import apps
from django.core.management import call_command

from agenda.models import (
    AgendaItem,
    AgendaItemRole,
    BackgroundPaper,
    Document,
    Event,
    Person,
    Presentation,
)
from tests.factories import EventFactory

DAY_1 = datetime.date(2006, 3, 23)
DAY_2 = datetime.date(2006, 3, 24)

IOM = "International Organization for Migration"
SESSION_I = "Setting the Scene: Mobility of Health Care Workers"
SESSION_II = "Policy Approaches to Managing the Mobility of Health Care Workers"
SESSION_III = (
    "Engaging Businesses and Civil Society in Managing the Mobility of Health Care Workers"
)
SESSION_IV = "Innovative Solutions for Managing the Mobility of Health Care Workers"


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


EXPECTED_SLOTS = [
    (DAY_1, t("09:00"), t("10:00"), "Registration of Participants"),
    (DAY_1, t("10:00"), t("10:30"), "Welcoming remarks"),
    (DAY_1, t("10:30"), t("11:15"), SESSION_I),
    (DAY_1, t("11:15"), t("13:00"), "Plenary Presentations"),
    (DAY_1, t("13:30"), t("14:30"), "Press Conference"),
    (DAY_1, t("15:00"), t("18:00"), "Case Studies"),
    (DAY_2, t("10:00"), t("13:00"), "Plenary Presentations"),
    (DAY_2, t("14:30"), t("16:00"), "Break-out Groups"),
    (DAY_2, t("16:00"), t("16:30"), "Break"),
    (DAY_2, t("16:30"), t("17:15"), "Reports to the plenary and discussion"),
    (DAY_2, t("17:15"), t("18:00"), "The Way Forward"),
]

# (start of the item, kind, session number, runs in parallel, description)
EXPECTED_ITEM_DETAILS = [
    (t("09:00"), "registration", None, False, ""),
    (t("10:00"), "opening", None, False, ""),
    (t("10:30"), "session", 1, False, ""),
    (t("11:15"), "plenary", 1, False, "General Discussion"),
    (t("13:30"), "press_conference", None, False, ""),
    (t("15:00"), "case_studies", 2, False, "General discussion and wrap-up"),
    (t("10:00"), "plenary", 3, False, "General Discussion"),
    (
        t("14:30"),
        "breakout",
        4,
        True,
        "Groups will be formed to discuss innovative solutions for managing the mobility of "
        "health care workers, including addressing the issue of partnerships and collaboration "
        "with businesses and civil society.",
    ),
    (t("16:00"), "break", None, False, ""),
    (t("16:30"), "report_back", None, False, ""),
    (
        t("17:15"),
        "closing",
        None,
        False,
        "Brief summary of action points and the way forward\n\nConcluding remarks",
    ),
]

# Presentations in programme order: (day, item start, title, [(label, speaker, affiliation)]).
EXPECTED_PRESENTATIONS = [
    (
        DAY_1,
        t("10:00"),
        "Welcoming remarks",
        [("", "Mrs. Ndioro Ndiaye", f"Deputy Director General, {IOM}")],
    ),
    (
        DAY_1,
        t("10:30"),
        "Addressing the international, internal and public/private dimensions of the migration "
        "of health care workers",
        [("", "Dr. Danielle Grondin", f"Director, Migration Health Department, {IOM}")],
    ),
    (
        DAY_1,
        t("10:30"),
        "The Scope And Impact of Health Worker Migration",
        [
            (
                "",
                "Dr. Manuel Dayrit",
                "Director, Department of Human Resources for Health, WHO Geneva",
            )
        ],
    ),
    (
        DAY_1,
        t("10:30"),
        "Action Programme on the International Migration of Health Care Workers: the Supply Side",
        [("", "Ms. Susan Maybud", "Health Services, Sectoral Activities Department, ILO Geneva")],
    ),
    (
        DAY_1,
        t("11:15"),
        "Improving health workforce capacity in England",
        [("", "Ms. Debbie Mellor", "Head of Workforce Capacity, Department of Health (England)")],
    ),
    (
        DAY_1,
        t("11:15"),
        "Health care systems: Sri Lanka",
        [
            (
                "",
                "Dr. Sarath M. Samarage",
                "Director of Organization Development, Ministry of Healthcare & Nutrition, "
                "Sri Lanka",
            )
        ],
    ),
    (
        DAY_1,
        t("11:15"),
        "Health and long-term care for aging populations: Are international workers the solution?",
        [
            (
                "",
                "Mr. Donald L. Redfoot (Ph.D)",
                "Senior Policy Advisor, Public Policy Institute, AARP, USA",
            )
        ],
    ),
    (
        DAY_1,
        t("11:15"),
        "Nurse migration: A personal experience and perspective",
        [("", "Mr. Isaac Cheke Ziba", "")],
    ),
    (
        DAY_1,
        t("15:00"),
        "Commonwealth Secretariat : International Migration of Health Workers",
        [
            (
                "",
                "Professor James Buchan",
                "Queen Margaret University College, Edinburgh, UK",
            )
        ],
    ),
    (
        DAY_1,
        t("15:00"),
        "Mobilising Healthcare Professionals and Resources for Capacity Building in Africa",
        [
            (
                "",
                "Mr. Funto Akinkugbe",
                "Managing Director, Africa Recruit Limited, United Kingdom",
            )
        ],
    ),
    (
        DAY_1,
        t("15:00"),
        "Human resource and skills development: Benefits and challenges of partnership for "
        "health; a partnership between the Veneto Region, Italy and Timis County, Romania",
        [
            (
                "Italy",
                "Dr. Luigi Bertinato",
                "International Health and Social Affairs Office, Department of Health and Social "
                "Services, Veneto Region",
            ),
            (
                "Romania",
                "Dr. Dana Paica",
                "Timis County Council, President’s Office, Timisoara, Romania",
            ),
        ],
    ),
    (
        DAY_1,
        t("15:00"),
        "Polish management of the migration of health care workers in an expanding Eureopean Union",
        [
            (
                "",
                "Mr. Maciej Duszczyk",
                "Deputy Director, Office of the Committee for European Integration, Poland",
            )
        ],
    ),
    (
        DAY_1,
        t("15:00"),
        "Managing the mobility of health workers: The Philippine experience",
        [
            (
                "",
                "Mr. Manuel Imson",
                "Deputy Minister, Department of Labour and Employment, Republic of the Philippines",
            )
        ],
    ),
    (
        DAY_2,
        t("10:00"),
        "International Health Care Workers, The Irish Perspective",
        [("", "Dr. Asam Ishtiaq", "President, Irish Medical Organization")],
    ),
    (
        DAY_2,
        t("10:00"),
        "International Migration of nurses",
        [
            (
                "",
                "Ms. Mireille Kingma (PhD)",
                "Nurse Consultant, from the International Council of Nurses International Centre "
                "on Nurse Migration",
            )
        ],
    ),
    (
        DAY_2,
        t("10:00"),
        "Recruiter organization perspective on managing mobility of health care workers",
        [
            (
                "",
                "Mr. Ronald Hoppe",
                "Founder and COO, World-Wide Health Staff Associates Ltd. International",
            )
        ],
    ),
    (
        DAY_2,
        t("10:00"),
        "Public Services International: Promoting workers’ rights and equity in the global health "
        "care workforce",
        [
            (
                "",
                "Ms. Geneviève J. Gencianos",
                "Coordinator, International Migration and Women Health Workers Programme, "
                "Public Services International",
            )
        ],
    ),
    (
        DAY_2,
        t("10:00"),
        "Making Migration of Human Resources for Health a Win-Win Situation for All Countries",
        [("", "Mr. Mel Lambert", "International Organization of Employers affiliate")],
    ),
]

KLEIN_SOLOMON = (
    "Ms. Michele Klein-Solomon (JD)",
    f"Acting Director, Migration Policy, Research and Communications, {IOM}",
)
GRONDIN = ("Dr. Danielle Grondin", f"Director, Migration Health Department, {IOM}")

# (day, item start, role, person, affiliation), in programme order.
EXPECTED_ROLES = [
    (DAY_1, t("10:30"), "discussant", *KLEIN_SOLOMON),
    (
        DAY_1,
        t("11:15"),
        "discussant",
        "Dr. Davide Mosca",
        # Printed "IOM Migration Health Physician ...": the model puts the position first.
        "Migration Health Physician responsible for Africa and the Middle East, IOM",
    ),
    (
        DAY_1,
        t("15:00"),
        "discussant",
        "Dr. Francis Kimani Mwihia",
        "Senior Deputy Director, Medical Services, Ministry of Health, Kenya",
    ),
    (
        DAY_2,
        t("10:00"),
        "discussant",
        "Mr. Daniel Stauffacher",
        "President, WISeKey SA, Switzerland",
    ),
    (
        DAY_2,
        t("14:30"),
        "discussant",
        "Ms. Elizabeth E. Sealy",
        "Chief Manpower Officer, Ministry of Labour and Small and Micro Enterprise Development, "
        "Trinidad and Tobago",
    ),
    (DAY_2, t("17:15"), "discussant", *KLEIN_SOLOMON),
    (DAY_2, t("17:15"), "discussant", *GRONDIN),
]

EXPECTED_SESSIONS = [
    (
        1,
        "session-1",
        SESSION_I,
        "What are their patterns of mobility globally, what are the principal policy objectives? "
        "What are the key challenges for the sending countries? What is at stake for the "
        "receiving countries?",
    ),
    (
        2,
        "session-2",
        SESSION_II,
        "What are the policy approaches to managing the mobility of health care workers and how "
        "effective are they in addressing the issues at stake? This session will attempt to get "
        "an impact evaluation of what has been done so far, what has worked, what did not work "
        "and why. Through the presentation of cases studies, participants will have an "
        "opportunity to discuss best and less good practices, in view of being another step "
        "towards managing effectively the challenges and benefits of the migration of the health "
        "care workers.",
    ),
    (3, "session-3", SESSION_III, ""),
    (4, "session-4", SESSION_IV, ""),
]

# (session number, title, questions introduction, number of paragraphs, their first words)
EXPECTED_PAPERS = [
    (
        1,
        "Setting the scene: Mobility of health care workers",
        "Other key questions to be examined during this session include:",
        [
            "This session will be divided into two parts.",
            "The global shortage of health professionals",
            "The migration of skilled workers from weak health care systems",
            "IOM, WHO and ILO support governments",
            "International migration of skilled professionals",
            "Many health care workers who are recruited internationally",
        ],
    ),
    (
        2,
        "Policy approaches to managing the mobility of health care workers",
        "Other questions to be examined under this session include:",
        [
            "This session will explore selected approaches",
            "There is a global need to develop appropriate policies",
            "To develop appropriate strategies to meet specific needs",
            "Policy approaches such as codes of conduct",
            "Diasporas can be engaged in the process",
            "Experiences can be shared and lessons learnt",
            "When the migration of health care workers is part of an export scheme",
        ],
    ),
    (
        4,
        "Innovative approaches for managing the mobility of health care workers",
        "Each group will elect a chairman and a reporter. Each group will identify and discuss "
        "approaches to manage the current dilemma of health care worker shortage.",
        [
            "This session consists of break-out groups",
            "To carry the agenda forward, innovative approaches",
        ],
    ),
]

EXPECTED_KEY_QUESTIONS = {
    1: [
        "What is the reality of the number of healthcare workers that are needed to strengthen "
        "the existing health services in developed and developing countries versus the number "
        "that leave the home country?",
        "What migration-related policies can be developed and employed to help ensure adequate "
        "human resources for health in the developed and developing world?",
        "Migration can not be prevented. How can migration be managed to more effectively achieve "
        "the Millennium Development Goals (MDG's) in terms of public health and poverty reduction "
        "outcomes?",
        "How do we increase the potential for the skills of health care workers to be used "
        "effectively in countries of destination?",
        "What can be done to minimize the risk of migrant health worker exploitation?",
        "How can countries of origin and destination, as well as the private sector and civil "
        "society, cooperate more effectively to address these issues?",
    ],
    2: [
        "What have we learnt from using codes of conduct for international recruitment of health "
        "workers?",
        "How can diasporas be tapped to more effectively sustain programmes of retention and "
        "circulation of health workers?",
        "What is needed for successful partnerships for human resource skills development?",
    ],
    4: [
        "A good starting point for planning and implementing effective management of the "
        "mobility of health care workers is the collection of reliable data. The groups can "
        "discuss different methods of collecting data, identify appropriate indicators and data "
        "sources and how this data can be used to manage the mobility for a win - win situation.",
        "How can the end-users of migrant health worker services in countries of destination "
        "more effectively share the responsibility for ensuring adequate human resources for "
        "health, i.e. such as by investing in training/education in countries of origin?",
        "Many source countries need support in developing human resource strategies. What is the "
        "role of aid and development partners in strengthening the capacity to manage human "
        "resources for health?",
        "How can diasporas be engaged in the management of human resources for health and the "
        "scaling up of health facilities in rural and urban areas of source countries?",
        "How can recruiters assist source countries?",
    ],
}

EXPECTED_DOCUMENTS = [
    (
        "event",
        1,
        "Session I: Setting the Scene: Mobility of Health Care Workers",
    ),
    (
        "event",
        2,
        "Session II: Policy Approaches to Managing the Mobility of Health Care Workers",
    ),
    (
        "event",
        3,
        "Session III: Engaging Businesses and Civil Society in Managing the Mobility of Health "
        "Care Workers",
    ),
    (
        "event",
        4,
        "Session IV: Innovative Approaches for Managing the Mobility of Health Care Workers",
    ),
    (
        "related",
        None,
        "The International Dialogue on Migration N° 6 - Health and Migration: Bridging the Gap",
    ),
    (
        "related",
        None,
        "EU Strategy for Action on the Crisis in Human Resources for Health in Developing "
        "Countries",
    ),
]

EXPECTED_PUBLICATION_PARTS = [
    "Foreword",
    "Acronyms and Abbreviations",
    "Part I: Report of The Seminar",
    "Part II: Seminar Agenda",
    "Part III: Abstracts of the Speakers’ Presentations",
    "Annexes",
]


def agenda_slots(event):
    return [
        (item.date, item.start_time, item.end_time, item.title)
        for item in event.items.order_by("date", "start_time", "order", "pk")
    ]


def programme(event):
    presentations = Presentation.objects.filter(item__event=event).order_by(
        "item__date", "item__start_time", "order", "pk"
    )
    return [
        (
            presentation.item.date,
            presentation.item.start_time,
            presentation.title,
            [
                (link.label, link.person.full_name, link.person.affiliation)
                for link in presentation.speaker_links.order_by("order", "pk")
            ],
        )
        for presentation in presentations
    ]


def model_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("agenda").get_models()
    }


def test_seed_event_describes_the_geneva_seminar(seed_event):
    assert seed_event.title == "Migration and Human Resources for Health: From Awareness to Action"
    assert seed_event.series_theme == (
        "Partnerships in Migration: Engaging Business and Civil Society"
    )
    assert (seed_event.start_date, seed_event.end_date) == (DAY_1, DAY_2)
    assert seed_event.time_zone == "Europe/Zurich"
    assert (seed_event.venue_short_name, seed_event.city, seed_event.country.code) == (
        "ICCG",
        "Geneva",
        "CH",
    )
    assert seed_event.is_published
    assert (seed_event.organizer.name, seed_event.organizer.acronym) == (IOM, "IOM")
    assert [(partner.organization.name, partner.role) for partner in seed_event.partners.all()] == [
        ("World Health Organization", "partner"),
        ("International Labour Organization", "partner"),
        ("Government of Ireland", "co_sponsor"),
    ]


def test_seed_event_texts_come_from_the_event_page(seed_event):
    assert seed_event.introduction.startswith(
        "This seminar formed part of IOM’s International Dialogue on Migration which in 2006"
    )
    assert seed_event.introduction.endswith("to move the agenda from awareness to action.")
    overview = seed_event.overview.split("\n\n")
    assert [paragraph[:40] for paragraph in overview] == [
        "Human resources are critical in ensuring",
        "The management of the mobility of health",
    ]
    assert overview[1].endswith("plenary presentation, case studies, group discussions.")
    assert seed_event.objectives.split("\n\n") == [
        "The overall objective of this seminar was to bring together stakeholders to work toward "
        "effective management of the mobility of health-care workers, to move the agenda from "
        "awareness to action.",
        "The main objectives of the seminar were to bring together a broad range of stakeholders "
        "to work together towards effective management of the mobility of health care workers, "
        "to review existing policy approaches and discuss innovative strategies to managing the "
        "mobility of health professionals and to identify action points to carry the agenda "
        "forward.",
    ]
    assert seed_event.agenda_introduction.startswith("The two-day agenda for this seminar")
    assert seed_event.agenda_introduction.endswith(
        "addressing innovative solutions for managing the mobility of health-care workers."
    )


def test_seed_agenda_has_every_time_slot(seed_event):
    assert agenda_slots(seed_event) == EXPECTED_SLOTS


def test_seed_agenda_items_have_kind_session_and_description(seed_event):
    items = seed_event.items.select_related("session").order_by("date", "start_time", "pk")
    assert [
        (
            item.start_time,
            item.kind,
            item.session.number if item.session else None,
            item.is_parallel,
            item.description,
        )
        for item in items
    ] == EXPECTED_ITEM_DETAILS


def test_seed_agenda_uses_the_main_room_for_plenary_items(seed_event):
    assert [room.name for room in seed_event.rooms.all()] == ["Main conference room"]
    assert [
        (item.start_time, item.room.name if item.room else None)
        for item in seed_event.items.filter(date=DAY_2)
    ] == [
        (t("10:00"), "Main conference room"),
        (t("14:30"), None),
        (t("16:00"), "Main conference room"),
        (t("16:30"), "Main conference room"),
        (t("17:15"), "Main conference room"),
    ]
    assert not any(item.overlapping_items().exists() for item in seed_event.items.all())


def test_seed_sessions_match_the_agenda_page(seed_event):
    assert [
        (session.number, session.slug, session.title, session.theme)
        for session in seed_event.sessions.all()
    ] == EXPECTED_SESSIONS


def test_seed_presentations_match_the_programme(seed_event):
    assert programme(seed_event) == EXPECTED_PRESENTATIONS


def test_seed_discussants_match_the_programme(seed_event):
    roles = AgendaItemRole.objects.filter(item__event=seed_event).order_by(
        "item__date", "item__start_time", "order", "pk"
    )
    assert [
        (
            role.item.date,
            role.item.start_time,
            role.role,
            role.person.full_name,
            role.person.affiliation,
        )
        for role in roles
    ] == EXPECTED_ROLES


def test_seed_people_are_recorded_once_with_their_organization(seed_event):
    assert Person.objects.count() == 24
    assert [
        (person.full_name, person.organization.acronym)
        for person in Person.objects.filter(organization__acronym__in=["IOM", "WHO", "ILO"])
        .select_related("organization")
        .order_by("organization__acronym", "last_name")
    ] == [
        ("Ms. Susan Maybud", "ILO"),
        ("Dr. Danielle Grondin", "IOM"),
        ("Ms. Michele Klein-Solomon (JD)", "IOM"),
        ("Dr. Davide Mosca", "IOM"),
        ("Mrs. Ndioro Ndiaye", "IOM"),
        ("Dr. Manuel Dayrit", "WHO"),
    ]
    redfoot = Person.objects.get(last_name="Redfoot")
    assert (redfoot.honorific, redfoot.first_name, redfoot.post_nominals) == (
        "Mr.",
        "Donald L.",
        "Ph.D",
    )
    ziba = Person.objects.get(last_name="Ziba")
    assert (ziba.position, ziba.organization, ziba.affiliation_note) == ("", None, "")


def test_seed_background_papers_match_the_papers(seed_event):
    papers = BackgroundPaper.objects.filter(session__event=seed_event).order_by("session__number")
    openings = {number: starts for number, _, _, starts in EXPECTED_PAPERS}
    assert [
        (
            paper.session.number,
            paper.title,
            paper.questions_introduction,
            len(paper.paragraphs),
            [
                paragraph[: len(start)]
                for paragraph, start in zip(
                    paper.paragraphs, openings[paper.session.number], strict=False
                )
            ],
        )
        for paper in papers
    ] == [
        (number, title, introduction, len(starts), starts)
        for number, title, introduction, starts in EXPECTED_PAPERS
    ]


def test_seed_background_papers_join_the_page_breaks(seed_event):
    paragraphs = seed_event.sessions.get(number=1).background_paper.paragraphs
    assert paragraphs[3] == (
        "IOM, WHO and ILO support governments of developing countries to strengthen their "
        "capacity to plan, educate and manage their health workforce, to meet health care "
        "service needs. Successful interventions need to be driven by governments specific to "
        "the country's needs and involve all key stakeholders in the public and private sectors."
    )
    assert seed_event.sessions.get(number=2).background_paper.paragraphs[4] == (
        "Diasporas can be engaged in the process of skill retention and circulation of health "
        "professionals in source countries. In some bilateral agreements, migrating health "
        "workers are assisted in returning to their home country to participate in strengthening "
        "the health service capacity."
    )
    assert not [
        paragraph
        for paper in BackgroundPaper.objects.all()
        for paragraph in paper.paragraphs
        if "\n" in paragraph
    ]


def test_seed_key_questions_match_the_papers(seed_event):
    assert {
        paper.session.number: [question.text for question in paper.key_questions.all()]
        for paper in BackgroundPaper.objects.filter(session__event=seed_event)
    } == EXPECTED_KEY_QUESTIONS


def test_seed_session_iii_has_no_background_paper(seed_event):
    assert not BackgroundPaper.objects.filter(session__number=3).exists()


def test_seed_documents_match_the_event_page(seed_event):
    documents = Document.objects.filter(event=seed_event).select_related("session")
    assert [
        (document.kind, document.session.number if document.session else None, document.title)
        for document in documents
    ] == EXPECTED_DOCUMENTS


def test_seed_publication_matches_the_publication_page(seed_event):
    publication = seed_event.publication
    assert (
        publication.series,
        publication.series_number,
        publication.title,
        publication.issn,
        publication.pages,
        publication.year,
        publication.languages,
        publication.is_published,
    ) == (
        "International Dialogue on Migration",
        9,
        "Migration and Human Resources for Health: From Awareness to Action",
        "1726-2224",
        147,
        None,
        "English",
        True,
    )
    assert [paragraph[:40] for paragraph in publication.summary_paragraphs] == [
        "The seminar on Migration and Human Resou",
        "The seminar brought together government ",
        "This publication includes the materials ",
    ]
    assert publication.summary_paragraphs[0].endswith(
        "and to identify action points to carry the agenda forward."
    )
    assert [part.title for part in publication.parts.all()] == EXPECTED_PUBLICATION_PARTS


def test_seed_rows_pass_model_validation(seed_event):
    for model in apps.get_app_config("agenda").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for instance in model.objects.all():
            instance.full_clean()


def test_seed_loads_without_history(seed_event):
    assert Event.history.count() == 0
    assert Presentation.history.count() == 0


def test_seed_comparison_fails_when_a_presentation_is_missing(seed_event):
    Presentation.objects.get(title="Health care systems: Sri Lanka").delete()

    assert programme(seed_event) != EXPECTED_PRESENTATIONS


def test_seed_comparison_fails_when_a_slot_moves(seed_event):
    AgendaItem.objects.filter(title="Press Conference").update(start_time=t("13:00"))

    assert agenda_slots(seed_event) != EXPECTED_SLOTS


def test_load_seed_event_twice_loads_nothing_more(seed_event):
    counts = model_counts()
    out = io.StringIO()

    call_command("load_seed_event", stdout=out)

    assert model_counts() == counts
    assert out.getvalue() == "Skipped the seed event: the database already has events.\n"


def test_load_seed_event_skips_a_database_with_another_event(db):
    event = EventFactory()
    out = io.StringIO()

    call_command("load_seed_event", stdout=out)

    assert list(Event.objects.all()) == [event]
    assert Presentation.objects.count() == 0
    assert out.getvalue().startswith("Skipped")


def test_load_seed_event_reports_what_it_loaded(db):
    out = io.StringIO()

    call_command("load_seed_event", stdout=out)

    assert out.getvalue().startswith(
        "Loaded the seed event “Migration and Human Resources for Health: From Awareness to "
        "Action” ("
    )
    assert Event.objects.count() == 1
