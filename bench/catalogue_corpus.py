"""A synthetic catalogue for bench/catalogue.sh: N solutions written from a fixed vocabulary of
city domains and technologies, each in several Russian grammatical forms (and «ё» where Russian
spells it), half of them with an English version, plus queries with the solutions that are
relevant to each (same domain and same technology). The text is made up for the benchmark.

    python3 bench/catalogue_corpus.py N OUT_DIR   # writes corpus.jsonl and queries.json
"""
import json
import random
import sys

# A domain: Russian forms (nominative, genitive, prepositional), English forms.
DOMAINS = {
    "transport": (["общественный транспорт", "общественного транспорта", "общественном транспорте"],
                  ["public transport", "public transport services"]),
    "parking": (["парковки", "парковочного пространства", "парковках"],
                ["parking", "parking spaces"]),
    "air": (["качество воздуха", "качества воздуха", "качестве воздуха"],
            ["air quality", "quality of the air"]),
    "water": (["водоснабжение", "водоснабжения", "водоснабжении"],
              ["water supply", "water supplies"]),
    "heat": (["теплоснабжение", "теплоснабжения", "теплоснабжении"],
             ["district heating", "heating networks"]),
    "lighting": (["уличное освещение", "уличного освещения", "уличном освещении"],
                 ["street lighting", "street lights"]),
    "waste": (["вывоз отходов", "вывоза отходов", "вывозе отходов"],
              ["waste collection", "collecting waste"]),
    "schools": (["школы", "школьного образования", "школах"],
                ["schools", "school education"]),
    "clinics": (["поликлиники", "поликлиник", "поликлиниках"],
                ["clinics", "outpatient clinics"]),
    "safety": (["общественная безопасность", "общественной безопасности", "общественной безопасности"],
               ["public safety", "safety of residents"]),
    "tourism": (["туризм", "туризма", "туризме"],
                ["tourism", "tourists"]),
    "permits": (["разрешения на строительство", "разрешений на строительство", "разрешениях на строительство"],
                ["building permits", "construction permits"]),
    "metering": (["учёт ресурсов", "учёта ресурсов", "учёте ресурсов"],
                 ["resource metering", "utility metering"]),
    "roads": (["ремонт дорог", "ремонта дорог", "ремонте дорог"],
              ["road repairs", "road maintenance"]),
    "appeals": (["обращения граждан", "обращений граждан", "обращениях граждан"],
                ["citizen requests", "residents' requests"]),
    "greenery": (["зелёные насаждения", "зелёных насаждений", "зелёных насаждениях"],
                 ["urban greenery", "green spaces"]),
    "snow": (["уборка снега", "уборки снега", "уборке снега"],
             ["snow removal", "snow clearing"]),
    "elections": (["общественные обсуждения", "общественных обсуждений", "общественных обсуждениях"],
                  ["public hearings", "public consultations"]),
    "libraries": (["библиотеки", "библиотек", "библиотеках"],
                  ["libraries", "public libraries"]),
    "sport": (["спортивные площадки", "спортивных площадок", "спортивных площадках"],
              ["sports grounds", "sports facilities"]),
}

# A technology: Russian forms (nominative, instrumental, genitive), English forms.
TECHNOLOGIES = {
    "sensors": (["датчики", "датчиками", "датчиков"], ["sensors", "sensor network"]),
    "cameras": (["видеокамеры", "видеокамерами", "видеокамер"], ["video cameras", "cameras"]),
    "chatbot": (["чат-бот", "чат-ботом", "чат-бота"], ["chatbot", "chat bot"]),
    "app": (["мобильное приложение", "мобильным приложением", "мобильного приложения"],
            ["mobile app", "mobile application"]),
    "map": (["геоинформационная система", "геоинформационной системой", "геоинформационной системы"],
            ["GIS", "geographic information system"]),
    "ml": (["машинное обучение", "машинным обучением", "машинного обучения"],
           ["machine learning", "learning models"]),
    "portal": (["портал", "порталом", "портала"], ["portal", "web portal"]),
    "twin": (["цифровой двойник", "цифровым двойником", "цифрового двойника"],
             ["digital twin", "digital twins"]),
    "opendata": (["открытые данные", "открытыми данными", "открытых данных"],
                 ["open data", "open datasets"]),
    "counters": (["счётчики", "счётчиками", "счётчиков"], ["smart meters", "meters"]),
    "drones": (["беспилотники", "беспилотниками", "беспилотников"], ["drones", "unmanned aircraft"]),
    "payments": (["электронные платежи", "электронными платежами", "электронных платежей"],
                 ["electronic payments", "online payments"]),
}

VERBS_RU = ["Система", "Платформа", "Сервис", "Комплекс", "Решение"]
VERBS_EN = ["System", "Platform", "Service", "Suite", "Solution"]
FILLER_RU = [
    "Внедрено за {n} месяцев силами городской команды.",
    "Сократило сроки рассмотрения на {n} процентов.",
    "Работает в {n} районах и доступно жителям круглосуточно.",
    "Исходный код открыт, документация переведена на два языка.",
    "Обучено {n} сотрудников администрации.",
    "Интеграция с региональными реестрами заняла {n} недель.",
]
FILLER_EN = [
    "Built in {n} months by the city's own team.",
    "Cut processing times by {n} per cent.",
    "Runs in {n} districts, open to residents day and night.",
    "The source code is open and documented in two languages.",
]
CITIES = ["moscow", "minsk", "astana", "tashkent", "baku", "bishkek"]
LICENCES = ["EUPL-1.2", "MIT", "Apache-2.0", "proprietary", "GPL-3.0"]
NOMINATIONS = ["Городская среда", "Цифровое управление", "Безопасный город", "Услуги жителям"]

# Queries: (query, lang, domain, technology), in grammatical forms the corpus uses differently,
# some with «е» where the corpus writes «ё», some in English.
QUERIES = [
    ("датчик качество воздух", "ru", "air", "sensors"),
    ("видеокамера на парковке", "ru", "parking", "cameras"),
    ("чат-боты для обращений граждан", "ru", "appeals", "chatbot"),
    ("мобильные приложения общественного транспорта", "ru", "transport", "app"),
    ("учет ресурсов счетчики", "ru", "metering", "counters"),
    ("зеленые насаждения беспилотник", "ru", "greenery", "drones"),
    ("цифровые двойники теплоснабжения", "ru", "heat", "twin"),
    ("машинное обучение уборка снега", "ru", "snow", "ml"),
    ("открытые данные о школах", "ru", "schools", "opendata"),
    ("портал разрешений на строительство", "ru", "permits", "portal"),
    ("геоинформационные системы ремонт дороги", "ru", "roads", "map"),
    ("электронный платеж туризм", "ru", "tourism", "payments"),
    ("датчики водоснабжения", "ru", "water", "sensors"),
    ("видеокамеры общественная безопасность", "ru", "safety", "cameras"),
    ("освещение улиц датчиками", "ru", "lighting", "sensors"),
    ("вывоз отходов мобильное приложение", "ru", "waste", "app"),
    ("поликлиника чат-бот", "ru", "clinics", "chatbot"),
    ("библиотека портал", "ru", "libraries", "portal"),
    ("спортивная площадка видеокамера", "ru", "sport", "cameras"),
    ("общественное обсуждение открытые данные", "ru", "elections", "opendata"),
    ("air quality sensor", "en", "air", "sensors"),
    ("parking cameras", "en", "parking", "cameras"),
    ("chatbot for citizen requests", "en", "appeals", "chatbot"),
    ("smart meter utility metering", "en", "metering", "counters"),
    ("digital twin heating network", "en", "heat", "twin"),
    ("drones for green spaces", "en", "greenery", "drones"),
    ("machine learning snow clearing", "en", "snow", "ml"),
    ("open data schools", "en", "schools", "opendata"),
]


def solution(rng, number):
    domain = rng.choice(sorted(DOMAINS))
    technology = rng.choice(sorted(TECHNOLOGIES))
    (d_nom, d_gen, d_prep), d_en = DOMAINS[domain]
    (t_nom, t_ins, t_gen), t_en = TECHNOLOGIES[technology]
    n = lambda: rng.randrange(2, 95)  # noqa: E731
    title_ru = rng.choice([
        f"{rng.choice(VERBS_RU)} для {d_gen}: {t_nom}",
        f"{t_nom.capitalize()} в {d_prep}",
        f"{rng.choice(VERBS_RU)} управления {d_gen} с {t_ins}",
    ]) + f" № {number}"
    summary_ru = " ".join([
        f"Решение для {d_gen} на основе {t_gen}.",
        f"{t_nom.capitalize()} собирают сведения о {d_prep}.",
        rng.choice(FILLER_RU).format(n=n()),
        rng.choice(FILLER_RU).format(n=n()),
    ])
    english = rng.random() < 0.5
    title_en = f"{rng.choice(VERBS_EN)} for {rng.choice(d_en)} with {rng.choice(t_en)} no. {number}" if english else ""
    summary_en = " ".join([
        f"The city manages {d_en[0]} using {t_en[0]}.",
        f"{t_en[1].capitalize()} gather data on {d_en[1]}.",
        rng.choice(FILLER_EN).format(n=n()),
    ]) if english else ""
    return {
        "title_ru": title_ru, "title_en": title_en, "summary_ru": summary_ru, "summary_en": summary_en,
        "city": rng.choice(CITIES), "nomination": rng.choice(NOMINATIONS), "year": rng.randrange(2015, 2027),
        "technologies": [t_en[0]], "hardware": [], "licence": rng.choice(LICENCES),
        "url": f"https://example.org/solutions/{number}", "published": True,
        "topic": [domain, technology],
    }


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(11)
    with open(f"{out}/corpus.jsonl", "w", encoding="utf-8") as corpus:
        for number in range(1, count + 1):
            corpus.write(json.dumps(solution(rng, number), ensure_ascii=False) + "\n")
    with open(f"{out}/queries.json", "w", encoding="utf-8") as queries:
        json.dump([{"q": q, "lang": lang, "topic": [d, t]} for q, lang, d, t in QUERIES], queries,
                  ensure_ascii=False)


if __name__ == "__main__":
    main()
