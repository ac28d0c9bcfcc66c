//! The source's own shape: no import cycle between the top-level modules of `src/`, so each
//! layer can be read (and changed) knowing only the layers below it. Reads the source files,
//! not the compiled crate: a `crate::X` path outside comments counts as a dependency on X.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module -> the top-level modules its code names.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let top_of = |path: &Path| -> Option<String> {
        let first = path.strip_prefix(src).ok()?.components().next()?;
        let name = first
            .as_os_str()
            .to_str()?
            .trim_end_matches(".rs")
            .to_string();
        (name != "lib" && name != "main").then_some(name)
    };
    let tops: BTreeSet<String> = files.iter().filter_map(|f| top_of(f)).collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(top) = top_of(file) else { continue };
        let text = std::fs::read_to_string(file).expect("read source file");
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name != top && tops.contains(&name) {
                    deps.entry(top.clone()).or_default().insert(name);
                }
            }
        }
        deps.entry(top).or_default();
    }
    deps
}

/// A cycle through `start`, if there is one: the path of module names.
fn cycle_from(
    deps: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in deps.get(at).into_iter().flatten() {
        if next == start {
            let mut found = path.clone();
            found.push(next.clone());
            return Some(found);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(found) = cycle_from(deps, start, next, path, seen) {
                return Some(found);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let deps = dependencies(&src);
    assert!(
        deps.get("web")
            .is_some_and(|d| d.contains("cases") && d.contains("db")),
        "the scan should see web's imports: {deps:?}"
    );
    for module in deps.keys() {
        let mut path = vec![module.clone()];
        let found = cycle_from(&deps, module, module, &mut path, &mut BTreeSet::new());
        assert!(
            found.is_none(),
            "import cycle: {}",
            found.unwrap_or_default().join(" -> ")
        );
    }
}

#[test]
fn the_lower_layers_do_not_reach_up() {
    let deps = dependencies(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    for (lower, forbidden) in [
        ("domain", ["web", "cases", "db", "letters"].as_slice()),
        ("rules", ["web", "cases", "db", "letters"].as_slice()),
        ("db", ["web", "cases", "letters", "reports"].as_slice()),
        ("cases", ["web"].as_slice()),
    ] {
        let uses = deps.get(lower).cloned().unwrap_or_default();
        for upper in forbidden {
            assert!(!uses.contains(*upper), "{lower} uses {upper}");
        }
    }
}
