//! Writes the French catalogue the youth's app compiles in (`fr-youth.ftl` in `OUT_DIR`): the
//! whole one without the guide's and the staff's keys (`src/catalogue_split.rs`).

include!("src/catalogue_split.rs");

fn main() {
    println!("cargo::rerun-if-changed=locales/fr.ftl");
    println!("cargo::rerun-if-changed=src/catalogue_split.rs");
    let french = std::fs::read_to_string("locales/fr.ftl").expect("locales/fr.ftl");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("fr-youth.ftl"), youth_lines(&french)).expect("writing fr-youth.ftl");
}
