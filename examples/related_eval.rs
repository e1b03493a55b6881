//! Evaluates the related-stories engine on a labelled corpus: a file's
//! parent folder is its label.
//!
//! cargo run --release --example related_eval -- <DIR> [--feedback N] [--feedback-weight W]
//!
//! Loads DIR into a temporary store, ranks the 10 most related stories for
//! every story (exact duplicates are one story), and prints precision@1,
//! @5 and @10 (the share of related stories with the same label), then the
//! median and p99 time of one query.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use byline::related::{Engine, QueryOptions, term_counts};
use byline::store::Store;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut options = QueryOptions::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--feedback" => options.feedback = args.next().unwrap_or_default().parse()?,
            "--feedback-weight" => options.feedback_weight = args.next().unwrap_or_default().parse()?,
            "--lsa-weight" => options.lsa_weight = args.next().unwrap_or_default().parse()?,
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: related_eval <DIR> [--feedback N] [--feedback-weight W]");
        std::process::exit(2);
    };
    let report = evaluate(&dir, options)?;
    println!("stories          {}", report.stories);
    println!("precision@1      {:.4}", report.precision[0]);
    println!("precision@5      {:.4}", report.precision[1]);
    println!("precision@10     {:.4}", report.precision[2]);
    println!("query median     {:.3} ms", report.median_ms);
    println!("query p99        {:.3} ms", report.p99_ms);
    Ok(())
}

struct Report {
    stories: usize,
    precision: [f64; 3],
    median_ms: f64,
    p99_ms: f64,
}

fn label_of(path: &str) -> String {
    Path::new(path).parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn evaluate(dir: &Path, options: QueryOptions) -> anyhow::Result<Report> {
    let tmp = tempfile::tempdir()?;
    let mut store = Store::open(&tmp.path().join("store.sqlite3"))?;
    store.sync(&[dir.to_path_buf()], |_| {})?;
    let texts = store.story_texts()?;
    let files = store.files_and_related()?;
    let labels: Vec<String> = texts
        .iter()
        .map(|(id, _, _)| files.get(id.as_str()).and_then(|(f, _)| f.first()).map(|p| label_of(p)).unwrap_or_default())
        .collect();
    let docs: Vec<_> = texts.iter().map(|(_, title, body)| term_counts(title, body)).collect();
    let engine = Engine::build(&docs);
    let mut hits = [0usize; 3];
    let mut counted = [0usize; 3];
    let mut times = Vec::with_capacity(docs.len());
    let by_label: HashMap<&str, usize> = labels.iter().fold(HashMap::new(), |mut m, l| {
        *m.entry(l.as_str()).or_default() += 1;
        m
    });
    for doc in 0..engine.len() {
        let start = Instant::now();
        let related = engine.related(doc, 10, &|_| false, options);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        if by_label.get(labels[doc].as_str()).copied().unwrap_or(0) < 2 {
            continue; // a label of one story has nothing to find
        }
        for (n, k) in [1, 5, 10].into_iter().enumerate() {
            for (d, _) in related.iter().take(k) {
                counted[n] += 1;
                hits[n] += usize::from(labels[*d] == labels[doc]);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times.get(((times.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0.0);
    let p = |n: usize| hits[n] as f64 / counted[n].max(1) as f64;
    Ok(Report { stories: engine.len(), precision: [p(0), p(1), p(2)], median_ms: pick(0.5), p99_ms: pick(0.99) })
}
