//! Evaluates the related-stories engine on a labelled corpus: a file's
//! parent folder is its label.
//!
//!     cargo run --release --example related_eval -- <DIR>
//!
//! Loads DIR into a temporary store, builds the engine, ranks the 10 most
//! related stories for every story through the store (exact duplicates are
//! one story; near-duplicates are never offered), and prints precision@1,
//! @5 and @10 (the share of related stories with the same label), then the
//! median and p99 time of one query on demand.

use std::path::{Path, PathBuf};
use std::time::Instant;

use byline::store::Store;

/// What the evaluation measured.
pub struct Report {
    pub stories: usize,
    pub precision: [f64; 3],
    pub build_ms: f64,
    pub median_ms: f64,
    pub p99_ms: f64,
}

fn label_of(path: &str) -> String {
    Path::new(path)
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn evaluate(dir: &Path) -> anyhow::Result<Report> {
    let tmp = tempfile::tempdir()?;
    let mut store = Store::open(&tmp.path().join("store.sqlite3"))?;
    store.sync(&[dir.to_path_buf()], |_| {})?;
    let files = store.files_and_related()?;
    let label = |id: &str| {
        files
            .get(id)
            .and_then(|(f, _)| f.first())
            .map(|p| label_of(p))
            .unwrap_or_default()
    };
    let ids: Vec<_> = store
        .story_texts()?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let start = Instant::now();
    store.update_engine(true)?;
    let build_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut hits = [0usize; 3];
    let mut counted = [0usize; 3];
    let mut times = Vec::with_capacity(ids.len());
    for id in &ids {
        let start = Instant::now();
        let related = store.related(id, 10, false)?.unwrap_or_default();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let own = label(id.as_str());
        for (n, k) in [1, 5, 10].into_iter().enumerate() {
            for (story, _) in related.iter().take(k) {
                counted[n] += 1;
                hits[n] += usize::from(label(story.id.as_str()) == own);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let p = |n: usize| hits[n] as f64 / counted[n].max(1) as f64;
    Ok(Report {
        stories: ids.len(),
        precision: [p(0), p(1), p(2)],
        build_ms,
        median_ms: pick(0.5),
        p99_ms: pick(0.99),
    })
}

fn main() -> anyhow::Result<()> {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: related_eval <DIR>   (each file's parent folder is its label)");
        std::process::exit(2);
    };
    let report = evaluate(&dir)?;
    println!("stories          {}", report.stories);
    println!("engine build     {:.1} ms", report.build_ms);
    println!("precision@1      {:.4}", report.precision[0]);
    println!("precision@5      {:.4}", report.precision[1]);
    println!("precision@10     {:.4}", report.precision[2]);
    println!("query median     {:.3} ms", report.median_ms);
    println!("query p99        {:.3} ms", report.p99_ms);
    Ok(())
}
