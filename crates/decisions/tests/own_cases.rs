//! Cases written for this crate (not copies of the shared examples): every deadline form of the
//! spec's table in Russian and English, wrapped lines, stray white space, quotes and dashes,
//! numbering styles, the kinds of paragraph, executors in and out of the directory, the control
//! clause, and texts that are not decisions.
use megapolis_decisions::{
    default_bodies, parse, Assignment, AssignmentFlag, AssignmentKind, Decision, DocumentWarning,
    ParseError, Recurrence,
};

const RU_HEAD: &str = "РЕШЕНИЕ\nДвадцать первой сессии Ассоциации\n«Международная Ассамблея столиц и крупных городов» (МАГ)\n\n\t15 апреля 2012 года\n\tКиев\n\n";
const EN_HEAD: &str = "DECISION\nof the Twenty-First Session of the Association\n\"International Assembly of Capitals and Major Cities\" (MAG)\n\n15 April 2012\nKiev\n\n";
const RU_CONTROL: &str =
    "\nКонтроль за исполнением настоящего решения возложить на Правление МАГ.\n";
const EN_CONTROL: &str =
    "\nControl over the implementation of this decision is entrusted to the Board of MAG.\n";

fn ru(body: &str) -> Decision {
    parse(&format!("{RU_HEAD}{body}{RU_CONTROL}"), &default_bodies()).expect("parses")
}

fn en(body: &str) -> Decision {
    parse(&format!("{EN_HEAD}{body}{EN_CONTROL}"), &default_bodies()).expect("parses")
}

fn only(d: &Decision) -> &Assignment {
    assert_eq!(d.assignments.len(), 1, "{:#?}", d.assignments);
    &d.assignments[0]
}

fn date(a: &Assignment) -> Option<String> {
    a.deadline.map(megapolis_decisions::format_date)
}

/// (phrase inside the item, deadline, recurrence) for D = 2012-04-15.
fn check_deadline(d: &Decision, phrase: &str, deadline: &str, recurrence: Option<Recurrence>) {
    let a = only(d);
    assert_eq!(a.deadline_text.as_deref(), Some(phrase), "{a:#?}");
    assert_eq!(date(a).as_deref(), Some(deadline), "{a:#?}");
    assert_eq!(a.recurrence, recurrence, "{a:#?}");
    assert!(
        !a.task.contains(phrase),
        "the phrase is taken out of the task: {}",
        a.task
    );
}

#[test]
fn header_of_own_documents() {
    let d = ru("1. О плане.\n1.1. Утвердить план.\n");
    assert_eq!(d.session.number, Some(21));
    assert_eq!(d.session.place.as_deref(), Some("Киев"));
    assert_eq!(date_of(&d).as_deref(), Some("2012-04-15"));
    assert_eq!(
        d.title,
        "РЕШЕНИЕ Двадцать первой сессии Ассоциации «Международная Ассамблея столиц и крупных городов» (МАГ)"
    );
    let d = en("1. On the plan.\n1.1. Approve the plan.\n");
    assert_eq!(d.session.number, Some(21));
    assert_eq!(d.language, megapolis_decisions::Language::En);
    assert_eq!(d.session.place.as_deref(), Some("Kiev"));
}

fn date_of(d: &Decision) -> Option<String> {
    d.session.date.map(megapolis_decisions::format_date)
}

#[test]
fn deadline_table_russian() {
    let cases: &[(&str, &str, Option<Recurrence>)] = &[
        ("до 1 октября 2012 года", "2012-10-01", None),
        ("в срок до 01.09.2012", "2012-09-01", None),
        ("до конца года", "2012-12-31", None),
        ("в III квартале 2012 года", "2012-09-30", None),
        ("в течение 2012 года", "2012-12-31", None),
        ("в 2013 году", "2013-12-31", None),
        ("в месячный срок", "2012-05-15", None),
        ("в двухнедельный срок", "2012-04-29", None),
        ("в трехмесячный срок", "2012-07-15", None),
        (
            "ежегодно, до 1 марта",
            "2013-03-01",
            Some(Recurrence::Yearly),
        ),
        ("ежеквартально", "2012-06-30", Some(Recurrence::Quarterly)),
        ("ежемесячно", "2012-04-30", Some(Recurrence::Monthly)),
    ];
    for (phrase, deadline, recurrence) in cases {
        let d = ru(&format!(
            "1. О работе.\n1.1. Секретариату МАГ {phrase} представить отчет.\n"
        ));
        check_deadline(&d, phrase, deadline, *recurrence);
        assert_eq!(only(&d).task, "представить отчет");
    }
}

#[test]
fn deadline_table_english() {
    let cases: &[(&str, &str, Option<Recurrence>)] = &[
        ("by 1 October 2012", "2012-10-01", None),
        ("by the end of the year", "2012-12-31", None),
        ("in the third quarter of 2012", "2012-09-30", None),
        ("during 2012", "2012-12-31", None),
        ("within a month", "2012-05-15", None),
        ("within two weeks", "2012-04-29", None),
        ("within three months", "2012-07-15", None),
        (
            "annually, by 1 March",
            "2013-03-01",
            Some(Recurrence::Yearly),
        ),
        ("quarterly", "2012-06-30", Some(Recurrence::Quarterly)),
        ("monthly", "2012-04-30", Some(Recurrence::Monthly)),
    ];
    for (phrase, deadline, recurrence) in cases {
        let d = en(&format!(
            "1. On the work.\n1.1. The Secretariat of MAG shall submit a report {phrase}.\n"
        ));
        check_deadline(&d, phrase, deadline, *recurrence);
        assert_eq!(only(&d).task, "submit a report");
    }
}

#[test]
fn unreadable_deadline_is_kept_and_flagged() {
    let d = ru("1. О работе.\n1.1. Секретариату МАГ в срок до начала следующей сессии подготовить доклад.\n");
    let a = only(&d);
    assert_eq!(a.deadline, None);
    assert_eq!(
        a.deadline_text.as_deref(),
        Some("в срок до начала следующей сессии")
    );
    assert_eq!(a.task, "подготовить доклад");
    assert!(a.flags.contains(&AssignmentFlag::DeadlineUnreadable {
        text: "в срок до начала следующей сессии".into()
    }));
}

#[test]
fn wrapped_lines_are_joined_and_paragraphs_kept() {
    let d = ru("1. О сотрудничестве\nс университетами.\n1.1. Экспертному совету МАГ совместно с\nМежкафедральной научной лабораторией инновационных технологий управления\nсовременным городом до 1 октября 2012 года подготовить\nпредложения.\nСекретариату МАГ обеспечить их рассылку.\n");
    assert_eq!(d.items[0].heading, "О сотрудничестве с университетами.");
    let item = &d.items[0].items[0];
    assert_eq!(
        item.text,
        "Экспертному совету МАГ совместно с Межкафедральной научной лабораторией инновационных технологий управления современным городом до 1 октября 2012 года подготовить предложения.\nСекретариату МАГ обеспечить их рассылку."
    );
    assert_eq!(d.assignments.len(), 2);
    assert_eq!(
        d.assignments[0].lead.as_deref(),
        Some("Экспертный совет МАГ")
    );
    assert_eq!(
        d.assignments[0].co_executors,
        vec!["Межкафедральная научная лаборатория инновационных технологий управления современным городом"]
    );
    assert_eq!(d.assignments[0].task, "подготовить предложения");
    assert_eq!(d.assignments[1].lead.as_deref(), Some("Секретариат МАГ"));
    assert_eq!(d.assignments[1].item, "1.1");
    assert_eq!(d.assignments[1].deadline, None);
}

#[test]
fn stray_spaces_tabs_and_nbsp() {
    let d = ru("1.\tО  работе.  \n1.1.\u{a0}Секретариату\tМАГ  до\u{a0}1 октября\u{a0}2012  года   подготовить\u{a0}план.   \n");
    assert_eq!(d.items[0].heading, "О работе.");
    assert_eq!(
        d.items[0].items[0].text,
        "Секретариату МАГ до 1 октября 2012 года подготовить план."
    );
    let a = only(&d);
    assert_eq!(a.lead.as_deref(), Some("Секретариат МАГ"));
    assert_eq!(a.deadline_text.as_deref(), Some("до 1 октября 2012 года"));
    assert_eq!(a.task, "подготовить план");
}

#[test]
fn windows_line_ends_and_bom() {
    let text = format!(
        "\u{feff}{RU_HEAD}1. О работе.\r\n1.1. Секретариату МАГ подготовить план.\r\n{RU_CONTROL}"
    )
    .replace('\n', "\r\n");
    let d = parse(&text, &default_bodies()).expect("parses");
    assert_eq!(d.title.chars().next(), Some('Р'));
    assert_eq!(only(&d).task, "подготовить план");
}

#[test]
fn quotes_of_both_kinds_are_kept() {
    let d = ru("1. О проекте «Электронный город».\n1.1. Секретариату МАГ подготовить доклад о проекте \"Электронный город\".\n");
    assert_eq!(d.items[0].heading, "О проекте «Электронный город».");
    assert_eq!(
        only(&d).task,
        "подготовить доклад о проекте \"Электронный город\""
    );
}

#[test]
fn dashes_of_any_kind_match_the_directory() {
    for dash in ["–", "—", "-"] {
        let d = ru(&format!(
            "1. О работе.\n1.1. Администрациям городов {dash} членов МАГ представить данные.\n"
        ));
        assert_eq!(
            only(&d).lead.as_deref(),
            Some("Администрации городов – членов МАГ"),
            "{dash}"
        );
    }
}

#[test]
fn numbering_styles() {
    let d = ru("1. О работе.\n1.1. Утвердить план.\n1.2 Утвердить смету.\n1.3) Секретариату МАГ подготовить отчет.\n1.3.1. Экспертному совету МАГ подготовить заключение.\n2) Об ином.\n2.1. Одобрить.\n");
    let numbers: Vec<&str> = d.items[0].items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, vec!["1.1", "1.2", "1.3"]);
    assert_eq!(d.items[0].items[2].items[0].number, "1.3.1");
    assert_eq!(d.items[1].number, "2");
    let items: Vec<&str> = d.assignments.iter().map(|a| a.item.as_str()).collect();
    assert_eq!(items, vec!["1.3", "1.3.1"]);
}

#[test]
fn resolution_recommendation_assignment() {
    let d = ru("1. О работе.\n1.1. Одобрить отчет Секретариата МАГ.\n1.2. Отчет Экспертного совета МАГ принять к сведению.\n1.3. Рекомендовать Управлению информатизации города Москвы поддержать проект.\n1.4. Поручить Секретариату МАГ подготовить план.\n1.5. Экспертному совету МАГ подготовить заключение.\n1.6. Согласиться с предложением Президента МАГ.\n");
    let kinds: Vec<(&str, AssignmentKind, Option<&str>)> = d
        .assignments
        .iter()
        .map(|a| (a.item.as_str(), a.kind, a.lead.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "1.3",
                AssignmentKind::Recommendation,
                Some("Управление информатизации города Москвы")
            ),
            ("1.4", AssignmentKind::Assignment, Some("Секретариат МАГ")),
            (
                "1.5",
                AssignmentKind::Assignment,
                Some("Экспертный совет МАГ")
            ),
        ]
    );
    assert_eq!(d.assignments[0].task, "поддержать проект");
}

#[test]
fn english_kinds() {
    let d = en("1. On the work.\n1.1. Approve the report of the Secretariat of MAG.\n1.2. Take note of the information.\n1.3. Recommend the Ministry of Regional Development of the Russian Federation to support the project.\n1.4. Instruct the Expert Council of MAG to prepare an opinion by 1 June 2012.\n1.5. The Information Policy Commission is requested to review the site.\n");
    let got: Vec<(&str, AssignmentKind, Option<&str>, &str)> = d
        .assignments
        .iter()
        .map(|a| (a.item.as_str(), a.kind, a.lead.as_deref(), a.task.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "1.3",
                AssignmentKind::Recommendation,
                Some("Ministry of Regional Development of the Russian Federation"),
                "support the project"
            ),
            (
                "1.4",
                AssignmentKind::Assignment,
                Some("Expert Council of MAG"),
                "prepare an opinion"
            ),
            (
                "1.5",
                AssignmentKind::Recommendation,
                Some("Standing Commission of MAG on Information Policy and PR Projects"),
                "review the site"
            ),
        ]
    );
}

#[test]
fn task_with_no_executor() {
    let d = ru("1. О конкурсе.\n1.1. Продолжить работу по обобщению опыта городов.\n1.2. По итогам конкурса издать сборник лучших проектов в 2012 году.\n");
    assert_eq!(d.assignments.len(), 2);
    for a in &d.assignments {
        assert_eq!(a.lead, None);
        assert!(a.co_executors.is_empty());
        assert_eq!(a.flags, vec![AssignmentFlag::NoExecutor]);
    }
    assert_eq!(
        d.assignments[0].task,
        "Продолжить работу по обобщению опыта городов"
    );
    assert_eq!(d.assignments[1].task, "издать сборник лучших проектов");
    assert_eq!(date(&d.assignments[1]).as_deref(), Some("2012-12-31"));
    let d = en("1. On the contest.\n1.1. Continue the work on the best practices of cities.\n");
    assert_eq!(only(&d).lead, None);
    assert_eq!(
        only(&d).task,
        "Continue the work on the best practices of cities"
    );
}

#[test]
fn unknown_executors_are_kept_in_the_nominative() {
    let d = ru("1. О работе.\n1.1. Секретариату МАГ совместно с другими заинтересованными организациями подготовить план.\n1.2. Органам исполнительной власти субъектов РФ представить сведения.\n");
    let a = &d.assignments[0];
    assert_eq!(a.lead.as_deref(), Some("Секретариат МАГ"));
    assert_eq!(a.co_executors, vec!["другие заинтересованные организации"]);
    assert_eq!(a.co_executor_ids, vec![None]);
    assert_eq!(
        a.flags,
        vec![AssignmentFlag::ExecutorNotInDirectory {
            name: "другие заинтересованные организации".into()
        }]
    );
    let b = &d.assignments[1];
    assert_eq!(
        b.lead.as_deref(),
        Some("Органы исполнительной власти субъектов РФ")
    );
    assert_eq!(b.lead_id, None);
    assert!(b
        .flags
        .iter()
        .any(|f| f.code() == "executor_not_in_directory"));
    // English: as written, without the article.
    let d = en("1. On the work.\n1.1. The host cities shall prepare the events.\n");
    assert_eq!(only(&d).lead.as_deref(), Some("host cities"));
}

#[test]
fn co_executors_after_jointly_with() {
    let d = ru("1. О работе.\n1.1. Секретариату МАГ совместно с Экспертным советом МАГ и Аппаратом МРГ подготовить план.\n");
    let a = only(&d);
    assert_eq!(a.co_executors, vec!["Экспертный совет МАГ", "Аппарат МРГ"]);
    assert_eq!(a.lead_id.as_deref(), Some("secretariat"));
    assert_eq!(
        a.co_executor_ids,
        vec![
            Some("expert-council".to_string()),
            Some("mrg-office".to_string())
        ]
    );
    let d = en("1. On the work.\n1.1. The Secretariat of MAG, jointly with the Expert Council of MAG and the MGUU, shall prepare the plan.\n");
    assert_eq!(
        only(&d).co_executors,
        vec![
            "Expert Council of MAG",
            "Moscow City University of Management of the Moscow Government"
        ]
    );
    let d = en("1. On the work.\n1.1. The Expert Council of MAG together with the host cities shall hold the seminars.\n");
    assert_eq!(only(&d).co_executors, vec!["host cities"]);
}

#[test]
fn a_list_of_executors_gives_lead_and_co_executors() {
    let d = ru("1. О работе.\n1.1. Секретариату МАГ, Экспертному совету МАГ и Президенту МАГ подготовить план.\n");
    let a = only(&d);
    assert_eq!(a.lead.as_deref(), Some("Секретариат МАГ"));
    assert_eq!(
        a.co_executors,
        vec!["Экспертный совет МАГ", "Президент МАГ"]
    );
}

#[test]
fn control_clause_forms() {
    let body = "1. О работе.\n1.1. Секретариату МАГ подготовить план.\n";
    let d = parse(
        &format!("{RU_HEAD}{body}Контроль за реализацией настоящего решения\nвозложить на Секретариат МАГ.\n\nПрезидент МАГ   Ю.М. Лужков\n"),
        &default_bodies(),
    )
    .expect("parses");
    assert_eq!(d.controller.as_deref(), Some("Секретариат МАГ"));
    assert_eq!(d.controller_id.as_deref(), Some("secretariat"));
    assert_eq!(
        d.items[0].items[0].text,
        "Секретариату МАГ подготовить план."
    );
    assert!(d
        .warnings
        .iter()
        .any(|w| matches!(w, DocumentWarning::TextAfterControlClause { .. })));

    let d = parse(&format!("{RU_HEAD}{body}2. Контроль за выполнением настоящего решения возложить на Президента МАГ.\n"), &default_bodies())
        .expect("parses");
    assert_eq!(d.controller.as_deref(), Some("Президент МАГ"));
    assert_eq!(d.assignments.len(), 1);

    let d = parse(&format!("{RU_HEAD}{body}"), &default_bodies()).expect("parses");
    assert_eq!(d.controller, None);
    assert!(d.warnings.contains(&DocumentWarning::NoController));

    let d = en("1. On the work.\n1.1. The Secretariat of MAG shall prepare the plan.\n");
    assert_eq!(d.controller.as_deref(), Some("Board of MAG"));
    assert_eq!(
        d.items[0].items[0].text,
        "The Secretariat of MAG shall prepare the plan."
    );
}

#[test]
fn section_without_sub_items_is_text() {
    let d = ru("1. Провести следующую сессию в Минске в 2013 году.\n");
    assert_eq!(d.items[0].heading, "");
    assert_eq!(
        d.items[0].text,
        "Провести следующую сессию в Минске в 2013 году."
    );
    let a = only(&d);
    assert_eq!(a.item, "1");
    assert_eq!(a.task, "Провести следующую сессию в Минске");
}

#[test]
fn not_a_decision_is_a_clear_error() {
    let err = parse(
        "Уважаемые коллеги!\nПриглашаем вас на сессию 2 июня 2010 года в Астане.\n",
        &default_bodies(),
    )
    .expect_err("no items");
    assert_eq!(err, ParseError::NoNumberedItems);
    assert!(err.to_string().contains("no numbered items"));
    assert_eq!(
        parse(" \n\t\n", &default_bodies()).expect_err("empty"),
        ParseError::Empty
    );
    assert_eq!(
        parse("", &default_bodies()).expect_err("empty"),
        ParseError::Empty
    );
}

#[test]
fn flags_and_warnings_stay_out_of_the_spec_json() {
    let d = ru("1. О работе.\n1.1. Продолжить работу в срок до начала сессии.\n");
    assert!(!d.assignments[0].flags.is_empty());
    let json = d.to_spec_json();
    let a = &json["assignments"][0];
    let keys: Vec<&String> = a
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let mut keys: Vec<&str> = keys.iter().map(|s| s.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "co_executors",
            "deadline",
            "deadline_text",
            "item",
            "kind",
            "lead",
            "recurrence",
            "task"
        ]
    );
    let mut top: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    top.sort_unstable();
    assert_eq!(
        top,
        vec![
            "assignments",
            "controller",
            "items",
            "language",
            "session",
            "title"
        ]
    );
}

#[test]
fn custom_directory_is_used() {
    let bodies = megapolis_decisions::parse_bodies_csv(
        "id,kind,name_ru,name_en,short_ru,short_en\nduma,partner,Городская дума,City Duma,Дума,Duma\n",
    )
    .expect("csv");
    let d = parse(
        &format!("{RU_HEAD}1. О работе.\n1.1. Городской думе рассмотреть проект.\n{RU_CONTROL}"),
        &bodies,
    )
    .expect("parses");
    assert_eq!(only(&d).lead.as_deref(), Some("Городская дума"));
    assert_eq!(only(&d).lead_id.as_deref(), Some("duma"));
    // The Board is not in this directory: the controller is kept as written and reported.
    assert_eq!(d.controller.as_deref(), Some("Правление МАГ"));
    assert_eq!(d.controller_id, None);
    assert!(d
        .warnings
        .contains(&DocumentWarning::ControllerNotInDirectory {
            name: "Правление МАГ".into()
        }));
}

/// (item, kind, lead, task, deadline) of an assignment.
type Reading<'a> = (
    &'a str,
    AssignmentKind,
    Option<&'a str>,
    &'a str,
    Option<String>,
);

fn readings(d: &Decision) -> Vec<Reading<'_>> {
    d.assignments
        .iter()
        .map(|a| {
            (
                a.item.as_str(),
                a.kind,
                a.lead.as_deref(),
                a.task.as_str(),
                date(a),
            )
        })
        .collect()
}

#[test]
fn a_resolution_and_an_assignment_in_one_paragraph() {
    let d = ru("1. О плане мероприятий.\n1.1. Одобрить план основных мероприятий на 2013 год (приложение № 2). Секретариату МАГ до 1 марта 2013 г. разослать его городам – членам МАГ.\n1.2. Информацию Экспертного совета МАГ принять к сведению. Рекомендовать администрациям городов – членов МАГ учесть её в работе.\n1.3. Поручить Экспертному совету МАГ подготовить доклад до 1 июня 2012 года. Доклад представить на заседании Правления МАГ.\n1.4. Утвердить положение о конкурсе, т.е. Правила участия в нём, принятые в 2012 г. Совместно с партнёрами. Продолжить работу по обобщению опыта городов.\n");
    assert_eq!(
        readings(&d),
        vec![
            (
                "1.1",
                AssignmentKind::Assignment,
                Some("Секретариат МАГ"),
                "разослать его городам – членам МАГ",
                Some("2013-03-01".to_string())
            ),
            (
                "1.2",
                AssignmentKind::Recommendation,
                Some("Администрации городов – членов МАГ"),
                "учесть её в работе",
                None
            ),
            // One assignment over two sentences stays one.
            (
                "1.3",
                AssignmentKind::Assignment,
                Some("Экспертный совет МАГ"),
                "подготовить доклад. Доклад представить на заседании Правления МАГ",
                Some("2012-06-01".to_string())
            ),
            // «т.е.» and «г.» end no sentence (the resolution runs to «партнёрами.»); the task
            // after it has no executor.
            (
                "1.4",
                AssignmentKind::Assignment,
                None,
                "Продолжить работу по обобщению опыта городов",
                None
            ),
        ]
    );
}

#[test]
fn an_approval_and_an_instruction_in_one_english_paragraph() {
    let d = en("1. On the plan of events.\n1.1. Approve the plan of main events for 2013 (Annex No. 2). The Secretariat of MAG shall send it to the member cities by 1 March 2013.\n1.2. Take note of the information, e.g. Annex 3. Instruct the Expert Council of MAG to prepare an opinion by 1 June 2012. It shall be presented to the Board.\n");
    assert_eq!(
        readings(&d),
        vec![
            (
                "1.1",
                AssignmentKind::Assignment,
                Some("Secretariat of MAG"),
                "send it to the member cities",
                Some("2013-03-01".to_string())
            ),
            // "It shall …" goes on about the work before it: no executor called "It".
            (
                "1.2",
                AssignmentKind::Assignment,
                Some("Expert Council of MAG"),
                "prepare an opinion. It shall be presented to the Board",
                Some("2012-06-01".to_string())
            ),
        ]
    );
}
