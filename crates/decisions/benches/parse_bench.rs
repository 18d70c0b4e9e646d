//! Parse throughput on a generated 200-item decision (target: < 5 ms per parse).
//! Run: `cargo bench -p megapolis-decisions`. Prints figures for BENCHMARKS.md.
use std::hint::black_box;
use std::time::{Duration, Instant};

use megapolis_decisions::{default_bodies, parse, parse_with, Directory};

/// A Russian decision with `sections` × `per_section` items in every form the parser reads:
/// assignments with co-executors and deadlines, recommendations, resolutions, tasks with no
/// executor, unknown executors, wrapped lines and second paragraphs.
fn generate(sections: usize, per_section: usize) -> String {
    let forms = [
        "Экспертному совету МАГ совместно с Постоянной комиссией МАГ по информационной политике и PR-проектам до 1 октября 2010 года подготовить предложения по совершенствованию методики мониторинга.",
        "Администрациям городов – членов МАГ ежегодно, до 1 марта, представлять в Секретариат МАГ данные для проведения\nмониторинга информационного развития.",
        "Принять к сведению информацию Секретариата МАГ о результатах мониторинга.",
        "Рекомендовать администрациям городов – членов МАГ использовать опыт, изложенный в сборнике.",
        "Поручить Секретариату МАГ в месячный срок подготовить и направить в адрес городов – членов МАГ обобщенный отчет.",
        "Продолжить мониторинг информационного развития городов – членов МАГ в 2010 году.",
        "Секретариату МАГ в III квартале 2010 года обеспечить издание сборника лучших решений.\nМежкафедральной научной лаборатории инновационных технологий управления современным городом совместно с Секретариатом МАГ в течение 2010 года организовать обучение специалистов.",
        "Другим заинтересованным организациям ежеквартально информировать Правление МАГ о ходе реализации плана.",
        "Информацию Секретариата МАГ о ходе выполнения решения принять к сведению.",
        "Экспертному совету МАГ, Постоянной комиссии МАГ по информационной политике и PR-проектам обобщить предложения и в срок до 01.09.2011 внести на утверждение Президента МАГ план совместных действий.",
    ];
    let mut s = String::from(
        "РЕШЕНИЕ\nВосемнадцатой сессии Ассоциации\n«Международная Ассамблея столиц и крупных городов» (МАГ)\n\n\t2 июня 2010 года\n\tАстана\n\n",
    );
    let mut k = 0;
    for i in 1..=sections {
        s.push_str(&format!("{i}. О вопросе номер {i} повестки дня сессии.\n"));
        for j in 1..=per_section {
            s.push_str(&format!("{i}.{j}. {}\n", forms[k % forms.len()]));
            k += 1;
        }
    }
    s.push_str("Контроль за выполнением настоящего решения возложить на Правление МАГ.\n");
    s
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration, Duration) {
    samples.sort_unstable();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / u32::try_from(n).unwrap_or(1);
    let p = |q: f64| samples[((n as f64 - 1.0) * q).round() as usize];
    (mean, p(0.5), p(0.99), samples[n - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let text = generate(20, 10);
    let bodies = default_bodies();
    let directory = Directory::new(&bodies);
    let first = parse_with(&text, &directory).expect("the generated decision parses");
    let items: usize = first.items.iter().map(|s| s.items.len()).sum();
    assert_eq!(items, 200);
    println!(
        "decision: {} bytes, {} sections, {} items, {} assignments",
        text.len(),
        first.items.len(),
        items,
        first.assignments.len()
    );

    // Warm-up (lazy regexes and stemmers).
    for _ in 0..20 {
        black_box(parse_with(black_box(&text), &directory).ok());
    }
    let runs = 300;
    let mut with_dir = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        black_box(parse_with(black_box(&text), &directory).ok());
        with_dir.push(t.elapsed());
    }
    let mut cold_dir = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        black_box(parse(black_box(&text), &bodies).ok());
        cold_dir.push(t.elapsed());
    }
    let (mean, p50, p99, max) = stats(with_dir);
    println!(
        "parse_with (prepared directory), {runs} runs: mean {}, p50 {}, p99 {}, max {}; {:.0} parses/s, {:.1} MB/s",
        ms(mean),
        ms(p50),
        ms(p99),
        ms(max),
        1.0 / mean.as_secs_f64(),
        text.len() as f64 / mean.as_secs_f64() / 1e6
    );
    let (mean, p50, p99, max) = stats(cold_dir);
    println!(
        "parse (directory built per call), {runs} runs: mean {}, p50 {}, p99 {}, max {}",
        ms(mean),
        ms(p50),
        ms(p99),
        ms(max)
    );
    println!("target: < 5 ms per parse of a 200-item decision");
}
