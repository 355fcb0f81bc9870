//! The layout a newcomer reads at a glance, kept true: no import circle between the
//! crate's top-level modules, no source file over 420 lines, the command line in
//! `src/cli/` (which nothing but `main.rs` imports) and nothing else at `src/` root but
//! `main.rs`, `lib.rs` and modules that are not commands. Reads the files only: it
//! links nothing of the crate, so it builds in a moment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 420;

/// Modules that were commands, or the wiring of them, before `src/cli/` held them all.
const COMMAND_LIKE: &[&str] = &["app", "commands", "headless", "output", "self_doc"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level modules at `src/` root: a folder or a `.rs` file each, by name.
fn top_level_modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("src/") {
        let path = entry.expect("an entry of src/").path();
        let name = path
            .file_stem()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 name")
            .to_string();
        if path.is_dir() {
            modules.insert(name, rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") && name != "main" && name != "lib" {
            modules.insert(name, vec![path]);
        }
    }
    modules
}

/// The code of a line without its `//` comment (a `//` inside a string is kept).
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn identifier_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules a file names as `crate::<module>` (paths and `crate::{a, b}`
/// groups); macros (`crate::say!`) are not modules.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = code_of(line);
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            // `$crate::` in a macro is the same crate; `foo_crate::` is another name.
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if start && !c.is_whitespace() => {
                            start = false;
                            let name = identifier_at(&group[i..]);
                            if !name.is_empty() && name != "self" {
                                found.insert(name.to_string());
                            }
                        }
                        _ => {}
                    }
                }
                continue;
            }
            let name = identifier_at(rest);
            if !name.is_empty() && !rest[name.len()..].starts_with('!') {
                found.insert(name.to_string());
            }
        }
    }
    found
}

/// Module -> the other top-level modules it imports.
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = top_level_modules(src);
    modules
        .iter()
        .map(|(name, files)| {
            let mut uses = BTreeSet::new();
            for file in files {
                let text = std::fs::read_to_string(file).expect("readable source");
                uses.extend(crate_references(&text));
            }
            uses.retain(|m| m != name && modules.contains_key(m));
            (name.clone(), uses)
        })
        .collect()
}

/// Every group of modules that import one another in a circle (the graph's strongly
/// connected components of more than one module), each sorted by name.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|n| (n, reach(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (node, reached) in &reaches {
        let group: Vec<String> = reached
            .iter()
            .filter(|other| reaches.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

#[test]
fn the_crate_references_of_a_file_are_read_as_modules() {
    let text = "use crate::store::{Change, Store};\n\
                use crate::{clock::Clock, cloud};\n\
                // crate::ui is only mentioned\n\
                let x = \"//\"; crate::text::sanitize(x);\n\
                crate::say!(\"x\"); $crate::cli::output::say(x); my_crate::engine::go();\n";
    let found: Vec<_> = crate_references(text).into_iter().collect();
    assert_eq!(found, ["cli", "clock", "cloud", "store", "text"]);
}

#[test]
fn circles_are_found_and_named() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a", "d"]),
        ("d", vec!["e"]),
        ("e", vec!["d"]),
        ("f", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(circles(&graph), vec![vec!["a", "b", "c"], vec!["d", "e"]]);
    let mut acyclic = graph.clone();
    acyclic.insert("c".into(), BTreeSet::new());
    acyclic.insert("e".into(), BTreeSet::new());
    assert!(circles(&acyclic).is_empty());
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let graph = import_graph(&root().join("src"));
    assert!(graph.len() > 5, "too few modules found: {graph:?}");
    let found = circles(&graph);
    let shown: Vec<_> = found
        .iter()
        .map(|group| {
            let mut edges = Vec::new();
            for from in group {
                for to in &graph[from] {
                    if group.contains(to) {
                        edges.push(format!("{from} -> {to}"));
                    }
                }
            }
            format!("{{{}}}: {}", group.join(", "), edges.join(", "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "modules that import one another in a circle:\n{}",
        shown.join("\n")
    );
}

#[test]
fn only_main_uses_the_command_line() {
    let src = root().join("src");
    assert!(src.join("cli").is_dir(), "src/cli/ holds the command line");
    let users: Vec<_> = import_graph(&src)
        .into_iter()
        .filter(|(name, uses)| name != "cli" && uses.contains("cli"))
        .map(|(name, _)| name)
        .collect();
    assert!(users.is_empty(), "modules that import cli: {users:?}");
}

#[test]
fn the_source_root_holds_no_commands() {
    let src = root().join("src");
    let graph = import_graph(&src);
    // A command prints and ends the process: it names an exit status or the command line.
    let offenders: Vec<_> = top_level_modules(&src)
        .into_iter()
        .filter(|(name, files)| {
            name != "cli"
                && (name.ends_with("_cmd")
                    || COMMAND_LIKE.contains(&name.as_str())
                    || graph[name].contains("cli")
                    || files.iter().any(|f| {
                        let text = std::fs::read_to_string(f).unwrap_or_default();
                        text.contains("ExitCode") || text.contains("process::exit")
                    }))
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        offenders.is_empty(),
        "commands at src/ root (they belong in src/cli/): {offenders:?}"
    );
    let mut others: Vec<_> = std::fs::read_dir(&src)
        .expect("src/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "rs"))
        .collect();
    others.sort();
    assert!(
        others.is_empty(),
        "not Rust modules at src/ root: {others:?}"
    );
}

#[test]
fn no_source_file_is_over_420_lines() {
    let mut long: Vec<String> = ["src", "tests"]
        .iter()
        .flat_map(|dir| rust_files(&root().join(dir)))
        .filter_map(|file| {
            let lines = std::fs::read_to_string(&file).ok()?.lines().count();
            let shown = file.strip_prefix(root()).unwrap_or(&file).display();
            (lines > MAX_LINES).then(|| format!("{shown}: {lines}"))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by job):\n{}",
        long.join("\n")
    );
}
