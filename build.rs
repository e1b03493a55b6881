//! Embeds the bundled sample articles (assets/articles) in the binary.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

/// A hash of the loader's source, so a store indexed by another version of
/// the parsers is re-read rather than trusted.
fn loader_hash() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    // The parsers, and what the sync derives from their stories and keeps
    // with each: words, term counts, MinHash signatures, folded titles
    // (not how signatures are grouped: see lsh.rs).
    // (Not the related engine: it is kept apart, with its own version.)
    for part in ["loader", "tokens.rs", "terms.rs", "minhash.rs", "fold.rs"] {
        let path = root.join(part);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    // The walk is made again at every sync, and what it finds compared
    // with the store: a change to it leaves no stored story stale.
    files.retain(|f| !f.ends_with("loader/walk.rs"));
    files.sort();
    // FNV-1a: stable across Rust versions, unlike DefaultHasher.
    let mut hash: u64 = 0xcbf29ce484222325;
    for file in files {
        for byte in std::fs::read(&file).unwrap_or_default() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    hash
}

fn main() {
    println!("cargo:rustc-env=BYLINE_LOADER_HASH={:016x}", loader_hash());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The bundled sample articles: (path inside the samples folder, content).\npub static SAMPLES: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("samples.rs");
    std::fs::write(out, code).unwrap();
}
