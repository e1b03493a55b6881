//! Evaluates the related-stories engine on a labelled corpus: a file's
//! parent folder is its label.
//!
//!     cargo run --release --example related_eval -- <DIR> [--sample N] [--labels a,b,c] [--seeds K]
//!
//! Loads DIR into a temporary store, builds the engine, ranks the 10 most
//! related stories for every story through the store (exact duplicates are
//! one story; near-duplicates are never offered), and prints precision@1,
//! @5 and @10 (the share of related stories with the same label), then the
//! median and p99 time of one query on demand. Then the same precisions
//! for the engine's ranking without the floor below which no story is
//! offered (`related::MIN_SCORE`), and for a baseline ranked through the
//! same store: plain TF-IDF cosine over the engine's own TF-IDF rows,
//! without the latent projection, feedback or floor (its cosines are low:
//! the floor would cut most lists short); and how many stories the
//! engine's and the baseline's lists held on average.
//!
//! A small library: `--sample N` evaluates N stories spread evenly over the
//! label folders (DIR's subfolders, by name; `--labels` keeps only some),
//! copied with their folders into a temporary folder. The first N mod L
//! folders give one story more. Each folder's files (the files directly in
//! it) are sorted by name and shuffled with a fixed seed (Fisher-Yates,
//! SplitMix64), and the first are taken: the same command always picks the
//! same stories. `--seeds K` repeats it with seeds 0 to K-1 (seed 0 alone by
//! default) and prints each sample's line and then the means. `--labels`
//! without `--sample` takes every file of those folders.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use byline::related::QueryOptions;
use byline::store::Store;

/// What the evaluation measured.
pub struct Report {
    pub stories: usize,
    pub precision: [f64; 3],
    pub build_ms: f64,
    pub median_ms: f64,
    pub p99_ms: f64,
    /// Precision@1, @5 and @10 of the engine's ranking without the floor
    /// below which the store offers no story.
    pub unfloored: [f64; 3],
    /// Precision@1, @5 and @10 of the baseline, plain TF-IDF cosine (no
    /// floor either).
    pub baseline: [f64; 3],
    /// Stories in the engine's and the baseline's lists, on average (10 at most).
    pub listed: [f64; 2],
}

fn label_of(path: &str) -> String {
    Path::new(path)
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hits and ranked stories at 1, 5 and 10.
#[derive(Default)]
struct Tally {
    hits: [usize; 3],
    counted: [usize; 3],
    lists: usize,
    listed: usize,
}

impl Tally {
    fn add(&mut self, own: &str, labels: impl Iterator<Item = String>) {
        let labels: Vec<String> = labels.collect();
        for (n, k) in [1, 5, 10].into_iter().enumerate() {
            for label in labels.iter().take(k) {
                self.counted[n] += 1;
                self.hits[n] += usize::from(label == own);
            }
        }
        self.lists += 1;
        self.listed += labels.len();
    }

    fn precision(&self) -> [f64; 3] {
        let p = |n: usize| self.hits[n] as f64 / self.counted[n].max(1) as f64;
        [p(0), p(1), p(2)]
    }

    fn listed(&self) -> f64 {
        self.listed as f64 / self.lists.max(1) as f64
    }
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
    // The TF-IDF baseline needs every story's row, whatever the size.
    let mut index = byline::related::SimilarIndex::keeping_rows();
    let start = Instant::now();
    index.update(&store, true)?;
    let build_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut engine = Tally::default();
    let mut times = Vec::with_capacity(ids.len());
    for id in &ids {
        let start = Instant::now();
        let related = index.related(&store, id, 10, false)?.unwrap_or_default();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let labels = related.iter().map(|(story, _)| label(story.id.as_str()));
        engine.add(&label(id.as_str()), labels);
    }
    // The same ranking without the floor, and the baseline (without it too:
    // plain TF-IDF cosines are low, and the floor would cut most lists short).
    let mut pass = |options: QueryOptions| -> anyhow::Result<Tally> {
        let mut tally = Tally::default();
        for id in &ids {
            let related = index
                .related_with(&store, id, 10, false, options)?
                .unwrap_or_default();
            let labels = related.iter().map(|(story, _)| label(story.id.as_str()));
            tally.add(&label(id.as_str()), labels);
        }
        Ok(tally)
    };
    let unfloored = pass(QueryOptions {
        min_score: 0.0,
        ..QueryOptions::default()
    })?;
    let baseline = pass(QueryOptions {
        feedback: 0,
        latent_weight: Some(0.0),
        min_score: 0.0,
        ..QueryOptions::default()
    })?;
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Report {
        stories: ids.len(),
        precision: engine.precision(),
        build_ms,
        median_ms: pick(0.5),
        p99_ms: pick(0.99),
        unfloored: unfloored.precision(),
        baseline: baseline.precision(),
        listed: [engine.listed(), baseline.listed()],
    })
}

/// A small deterministic generator (SplitMix64), for the samples.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0); the bias is negligible for a file list.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The files directly in `folder`, sorted by name.
fn files_in(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Copies a sample of `dir`'s label folders into `into`, keeping the
/// folders: `size` files in all, spread evenly over `labels` (every file
/// when None), each folder's chosen by a shuffle of its sorted names with
/// `seed`. Returns how many files it copied.
pub fn sample(
    dir: &Path,
    labels: &[String],
    size: Option<usize>,
    seed: u64,
    into: &Path,
) -> anyhow::Result<usize> {
    let mut copied = 0;
    for (n, label) in labels.iter().enumerate() {
        let mut files = files_in(&dir.join(label)).with_context(|| format!("label {label}"))?;
        let quota = match size {
            Some(size) => size / labels.len() + usize::from(n < size % labels.len()),
            None => files.len(),
        };
        if quota > files.len() {
            eprintln!("{label}: {} files, fewer than {quota}", files.len());
        }
        let mut rng = SplitMix(seed.wrapping_mul(0x1000_0000_01B3) ^ n as u64);
        for i in (1..files.len()).rev() {
            files.swap(i, rng.below(i + 1));
        }
        files.truncate(quota);
        std::fs::create_dir_all(into.join(label))?;
        for file in &files {
            let name = file.file_name().expect("a file has a name");
            std::fs::copy(file, into.join(label).join(name))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// The label folders of `dir`: its subfolders, by name.
fn label_folders(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut labels = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            labels.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    labels.sort();
    Ok(labels)
}

struct Args {
    dir: PathBuf,
    sample: Option<usize>,
    labels: Option<Vec<String>>,
    seeds: u64,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut sample, mut labels, mut seeds) = (None, None, None, 1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--sample" => sample = Some(value()?.parse().context("--sample N")?),
            "--labels" => {
                labels = Some(value()?.split(',').map(str::to_owned).collect::<Vec<_>>());
            }
            "--seeds" => seeds = value()?.parse().context("--seeds K")?,
            _ if arg.starts_with("--") => bail!("unknown option {arg}"),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => bail!("one DIR only"),
        }
    }
    let Some(dir) = dir else {
        bail!("no DIR");
    };
    if seeds == 0 || (seeds > 1 && sample.is_none()) {
        bail!("--seeds K needs K >= 1, and --sample for more than one");
    }
    Ok(Args {
        dir,
        sample,
        labels,
        seeds,
    })
}

fn print(report: &Report) {
    println!("stories          {}", report.stories);
    println!("engine build     {:.1} ms", report.build_ms);
    println!("precision@1      {:.4}", report.precision[0]);
    println!("precision@5      {:.4}", report.precision[1]);
    println!("precision@10     {:.4}", report.precision[2]);
    println!("query median     {:.3} ms", report.median_ms);
    println!("query p99        {:.3} ms", report.p99_ms);
    println!(
        "unfloored@1      {:.4}   (the engine's ranking, no floor)",
        report.unfloored[0]
    );
    println!("unfloored@5      {:.4}", report.unfloored[1]);
    println!("unfloored@10     {:.4}", report.unfloored[2]);
    println!(
        "tf-idf@1         {:.4}   (baseline: TF-IDF cosine, no LSA, no feedback, no floor)",
        report.baseline[0]
    );
    println!("tf-idf@5         {:.4}", report.baseline[1]);
    println!("tf-idf@10        {:.4}", report.baseline[2]);
    println!(
        "listed           {:.2} engine, {:.2} tf-idf (of 10)",
        report.listed[0], report.listed[1]
    );
}

fn main() -> anyhow::Result<()> {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "usage: related_eval <DIR> [--sample N] [--labels a,b,c] [--seeds K]   (each file's parent folder is its label)"
            );
            std::process::exit(2);
        }
    };
    if args.sample.is_none() && args.labels.is_none() {
        print(&evaluate(&args.dir)?);
        return Ok(());
    }
    let labels = match args.labels {
        Some(labels) => labels,
        None => label_folders(&args.dir)?,
    };
    let mut reports = Vec::new();
    for seed in 0..args.seeds {
        let tmp = tempfile::tempdir()?;
        sample(&args.dir, &labels, args.sample, seed, tmp.path())?;
        let report = evaluate(tmp.path())?;
        if args.seeds > 1 {
            println!(
                "seed {seed:<3} stories {:<5} engine {:.4} {:.4} {:.4}   tf-idf {:.4} {:.4} {:.4}",
                report.stories,
                report.precision[0],
                report.precision[1],
                report.precision[2],
                report.baseline[0],
                report.baseline[1],
                report.baseline[2],
            );
        }
        reports.push(report);
    }
    if reports.len() > 1 {
        println!("mean of {} samples of {}", reports.len(), labels.join(","));
    }
    let mean =
        |f: &dyn Fn(&Report) -> f64| reports.iter().map(f).sum::<f64>() / reports.len() as f64;
    print(&Report {
        stories: (mean(&|r| r.stories as f64)).round() as usize,
        precision: [0, 1, 2].map(|n| mean(&|r| r.precision[n])),
        build_ms: mean(&|r| r.build_ms),
        median_ms: mean(&|r| r.median_ms),
        p99_ms: mean(&|r| r.p99_ms),
        unfloored: [0, 1, 2].map(|n| mean(&|r| r.unfloored[n])),
        baseline: [0, 1, 2].map(|n| mean(&|r| r.baseline[n])),
        listed: [0, 1].map(|n| mean(&|r| r.listed[n])),
    });
    Ok(())
}
