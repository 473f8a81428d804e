//! Names the build: a hash of the sources of the service, its entities and its migrations,
//! as `HAVEN_BUILD_ID`. Cache entries carry it, so replicas of different builds never read
//! each other's entries, while replicas of one build (one image) share them.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let roots = ["src", "../entities/src", "../migration/src", "Cargo.toml"];
    let mut files = Vec::new();
    for root in roots {
        println!("cargo:rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    files.sort();
    let mut hash = DefaultHasher::new();
    for file in &files {
        file.hash(&mut hash);
        std::fs::read(file).unwrap_or_default().hash(&mut hash);
    }
    println!(
        "cargo:rustc-env=HAVEN_BUILD_ID={}-{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        hash.finish()
    );
}

/// Every file under `path` (or `path` itself).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_owned()),
        Err(_) => {}
    }
}
