//! Loading errors name the file, the row and the column.
use megapolis_index::{io, IndexError};

const META_OK: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,a,A,1,1,,,,P,Indicator
1,b,B,-1,1,,,,P,Indicator
2,P,Pillar,1,1,,,,Index,Aggregate
3,Index,Index,1,1,,,,,Aggregate
,g,Group,,,,,,,Group
";

fn meta_err(text: &str) -> IndexError {
    io::read_meta(text.as_bytes(), "iMeta.csv").expect_err("should fail")
}

fn assert_input(e: IndexError, row: usize, column: &str, needle: &str) {
    match &e {
        IndexError::Input {
            file,
            row: r,
            column: c,
            message,
        } => {
            assert!(file.ends_with(".csv"), "{e}");
            assert_eq!((*r, c.as_str()), (row, column), "{e}");
            assert!(message.contains(needle), "{e}");
        }
        other => panic!("expected an input error, got {other}"),
    }
}

#[test]
fn good_meta_loads() {
    let fw = io::read_meta(META_OK.as_bytes(), "iMeta.csv").expect("ok");
    assert_eq!(fw.max_level, 3);
    assert_eq!(fw.indicator_codes(), vec!["a", "b"]);
}

#[test]
fn unknown_parent() {
    assert_input(
        meta_err(&META_OK.replace("1,b,B,-1,1,,,,P,", "1,b,B,-1,1,,,,Q,")),
        3,
        "Parent",
        "unknown parent 'Q'",
    );
}

#[test]
fn cycle() {
    let t = META_OK.replace("2,P,Pillar,1,1,,,,Index,", "2,P,Pillar,1,1,,,,X,")
        + "2,X,X,1,1,,,,P,Aggregate\n";
    assert_input(meta_err(&t), 4, "Parent", "cycle");
}

#[test]
fn duplicate_code() {
    assert_input(
        meta_err(&META_OK.replace("1,b,B,", "1,a,B,")),
        3,
        "iCode",
        "duplicate code 'a'",
    );
}

#[test]
fn direction_not_plus_minus_one() {
    assert_input(
        meta_err(&META_OK.replace("1,b,B,-1,", "1,b,B,2,")),
        3,
        "Direction",
        "1 or -1",
    );
    assert_input(
        meta_err(&META_OK.replace("1,b,B,-1,", "1,b,B,x,")),
        3,
        "Direction",
        "not a number",
    );
}

#[test]
fn indicator_without_data_column() {
    let fw = io::read_meta(META_OK.as_bytes(), "iMeta.csv").expect("ok");
    let e = io::read_data("uCode,a,g\nX,1,k\n".as_bytes(), "iData.csv", &fw).expect_err("fail");
    assert_input(e, 1, "b", "no data column");
}

#[test]
fn non_numeric_cell() {
    let fw = io::read_meta(META_OK.as_bytes(), "iMeta.csv").expect("ok");
    let e = io::read_data(
        "uCode,a,b,g\nX,1,2,k\nY,3,abc,k\n".as_bytes(),
        "iData.csv",
        &fw,
    )
    .expect_err("fail");
    assert_input(e, 3, "b", "'abc' is not a number");
}

#[test]
fn duplicate_unit_per_time() {
    let fw = io::read_meta(META_OK.as_bytes(), "iMeta.csv").expect("ok");
    let e = io::read_data(
        "uCode,Time,a,b,g\nX,2020,1,2,k\nX,2020,3,4,k\n".as_bytes(),
        "iData.csv",
        &fw,
    )
    .expect_err("fail");
    assert_input(e, 3, "uCode", "duplicate uCode");
    // the same unit in two years is a panel, fine
    let d = io::read_data(
        "uCode,Time,a,b,g\nX,2020,1,2,k\nX,2021,,4,k\n".as_bytes(),
        "iData.csv",
        &fw,
    )
    .expect("panel");
    assert_eq!(d.times(), vec![2020, 2021]);
}

#[test]
fn panel_latest_earlier_year_imputation() {
    use megapolis_index::{pipeline, spec::BuildSpec};
    let fw = io::read_meta(META_OK.as_bytes(), "iMeta.csv").expect("ok");
    let d = io::read_data(
        "uCode,Time,a,b,g\nX,2019,5,2,k\nX,2020,7,2,k\nX,2021,,4,k\nY,2021,1,1,k\nZ,2021,,3,k\n"
            .as_bytes(),
        "iData.csv",
        &fw,
    )
    .expect("panel");
    let spec = BuildSpec::parse("[[step]]\nop = \"impute\"\nmethod = \"latest\"\n").expect("spec");
    let b = pipeline::build(&fw, &d, &spec).expect("build");
    let imp = b.dataset("Imputed").expect("imputed");
    let a = imp.col("a").expect("a");
    let xi = imp.units.iter().position(|u| u == "X").expect("X");
    let zi = imp.units.iter().position(|u| u == "Z").expect("Z");
    assert_eq!(a[xi], 7.0); // 2020's value, the latest earlier year
    assert!(a[zi].is_nan()); // no earlier year: stays missing
    assert_eq!(b.time, Some(2021));
}

#[test]
fn bad_spec_is_an_error_not_a_panic() {
    use megapolis_index::spec::BuildSpec;
    for t in [
        "[[step]]\nop = \"frobnicate\"",
        "[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\nl_u = [1]",
        "[[step]]\nop = \"treat\"\nwinmax = -1",
        "[[step]]\nop = \"aggregate\"\n[[step]]\nop = \"normalise\"",
        "[analysis]\nkind = \"sensitivity\"\nn = 10",
        "step = 3",
    ] {
        assert!(BuildSpec::parse(t).is_err(), "{t}");
    }
}
