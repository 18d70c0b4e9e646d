//! Proptest-based fuzzing of the CSV and TOML readers: arbitrary and mutated inputs must give
//! `Ok` or an error, never a panic. Case counts: `FUZZ_CASES` (default 2000 per target).
use megapolis_index::{io, pipeline, spec::BuildSpec};
use proptest::prelude::*;

const META: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,a,A,1,1,,5,D,P,Indicator
1,b,B,-1,1,,,,P,Indicator
2,P,Pillar,1,1,,,,Index,Aggregate
3,Index,Index,1,1,,,,,Aggregate
,g,Group,,,,,,,Group
,D,Denom,,,,,,,Denominator
";
const DATA: &str = "uCode,uName,Time,a,b,g,D
X,x,2020,1,2,k,3
Y,y,2020,4,,k,5
Z,z,2020,7,8,m,2
";
const SPEC: &str = "[[step]]\nop = \"denominate\"\n[[step]]\nop = \"impute\"\nmethod = \"mean_group\"\ngroup = \"g\"\n[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\nl_u = [0, 100]\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n";

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// Replace, insert or delete bytes at random places of a valid input.
fn mutate(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8).prop_map(
        move |edits| {
            let mut b = base.as_bytes().to_vec();
            for (i, byte, kind) in edits {
                if b.is_empty() {
                    b.push(byte);
                    continue;
                }
                let p = i.index(b.len());
                match kind {
                    0 => b[p] = byte,
                    1 => b.insert(p, byte),
                    _ => {
                        b.remove(p);
                    }
                }
            }
            b
        },
    )
}

/// Token-level mutations that keep the CSV shape but put odd values in cells.
fn cell_mutate(base: &'static str) -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "",
        "NA",
        "NaN",
        "inf",
        "-1",
        "0",
        "1e308",
        "-1e-320",
        "x",
        "\"",
        "a",
        "P",
        "Index",
        "Indicator",
        "Aggregate",
        "2",
        "1.5",
        ",",
        "\n",
        "Group",
        "D",
        "g",
        "99999999999999999999",
    ]);
    proptest::collection::vec((any::<prop::sample::Index>(), tokens), 1..5).prop_map(move |edits| {
        let mut cells: Vec<String> = base.split(',').map(String::from).collect();
        for (i, t) in edits {
            let p = i.index(cells.len());
            cells[p] = t.to_string();
        }
        cells.join(",")
    })
}

fn exercise(meta: &[u8], data: &[u8], spec: &str) {
    let Ok(fw) = io::read_meta(meta, "iMeta.csv") else {
        return;
    };
    let Ok(d) = io::read_data(data, "iData.csv", &fw) else {
        return;
    };
    let Ok(s) = BuildSpec::parse(spec) else {
        return;
    };
    if let Ok(b) = pipeline::build(&fw, &d, &s) {
        let _ = pipeline::results(&fw, &b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn meta_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = io::read_meta(bytes.as_slice(), "iMeta.csv");
    }

    #[test]
    fn meta_reader_never_panics_on_mutations(m in mutate(META)) {
        exercise(&m, DATA.as_bytes(), SPEC);
    }

    #[test]
    fn meta_cells_never_panic(m in cell_mutate(META)) {
        exercise(m.as_bytes(), DATA.as_bytes(), SPEC);
    }

    #[test]
    fn data_reader_never_panics_on_mutations(d in mutate(DATA)) {
        exercise(META.as_bytes(), &d, SPEC);
    }

    #[test]
    fn data_cells_never_panic(d in cell_mutate(DATA)) {
        exercise(META.as_bytes(), d.as_bytes(), SPEC);
    }

    #[test]
    fn weights_reader_never_panics(bytes in mutate("iCode,Level,Weight\na,1,2\nb,1,0.5\n")) {
        let _ = io::read_weights(bytes.as_slice(), "weights.csv");
    }

    #[test]
    fn toml_reader_never_panics_on_mutations(s in mutate(SPEC)) {
        let text = String::from_utf8_lossy(&s).to_string();
        exercise(META.as_bytes(), DATA.as_bytes(), &text);
    }

    #[test]
    fn toml_reader_never_panics_on_strings(s in "\\PC{0,300}") {
        let _ = BuildSpec::parse(&s);
    }

    #[test]
    fn analysis_spec_never_panics(s in mutate(include_str!("fixtures/asem/full_sensitivity.toml"))) {
        let text = String::from_utf8_lossy(&s).to_string();
        let _ = BuildSpec::parse(&text);
    }
}
