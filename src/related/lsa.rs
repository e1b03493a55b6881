//! Latent semantic analysis: a rank-k truncated SVD of the TF-IDF matrix by
//! randomized range finding (Halko, Martinsson and Tropp), so stories that
//! share a topic but few exact words still come out close.
//!
//! With A ≈ U Σ Vᵀ (stories × terms), a story's embedding is a V, which
//! also folds in a story that arrived after the decomposition.

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f32>,
}

impl Dense {
    pub fn zeros(rows: usize, cols: usize) -> Dense {
        Dense {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn row(&self, r: usize) -> &[f32] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    fn row_mut(&mut self, r: usize) -> &mut [f32] {
        &mut self.data[r * self.cols..(r + 1) * self.cols]
    }
}

/// A small deterministic generator (xorshift64*), so builds are repeatable.
struct Rng(u64);

impl Rng {
    fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A standard normal sample (Box-Muller).
    fn gaussian(&mut self) -> f32 {
        let u1 = self.next_f32().max(1e-7);
        let u2 = self.next_f32();
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
    }
}

/// Y = A X, for sparse rows A (n × t) and dense X (t × l).
fn sparse_times_dense(rows: &dyn Rows, x: &Dense) -> Dense {
    let mut y = Dense::zeros(rows.len(), x.cols);
    rows.each(&mut |r, row| {
        let out = y.row_mut(r);
        for &(t, w) in row {
            for (o, v) in out.iter_mut().zip(x.row(t as usize)) {
                *o += w * v;
            }
        }
    });
    y
}

/// The sparse rows of a matrix, passed over in order as often as needed:
/// held in memory, or made again from the store on each pass so that a
/// library's rows are never all held at once.
pub trait Rows {
    /// How many rows there are.
    fn len(&self) -> usize;
    /// Calls `f` with each row's index and entries, in order.
    fn each(&self, f: &mut RowSink<'_>);
}

/// What takes each row: its index and its (term, weight) entries.
pub type RowSink<'a> = dyn FnMut(usize, &[(u32, f32)]) + 'a;

impl Rows for Vec<Vec<(u32, f32)>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn each(&self, f: &mut RowSink<'_>) {
        for (r, row) in self.iter().enumerate() {
            f(r, row);
        }
    }
}

/// Z = Aᵀ Y, for sparse rows A (n × t) and dense Y (n × l).
fn sparse_t_times_dense(rows: &dyn Rows, terms: usize, y: &Dense) -> Dense {
    let mut z = Dense::zeros(terms, y.cols);
    rows.each(&mut |r, row| {
        let yr = y.row(r);
        for &(t, w) in row {
            for (o, v) in z.row_mut(t as usize).iter_mut().zip(yr) {
                *o += w * v;
            }
        }
    });
    z
}

/// The dot product of `a` and `b` (each of `b` read through `value`), in
/// eight running sums that the compiler turns into vector instructions
/// (one running sum cannot be, as float addition does not reorder). The
/// projection's arithmetic at a million stories is mostly these, and so is
/// the scan for related stories.
pub fn dot_by<T: Copy>(a: &[f32], b: &[T], value: impl Fn(T) -> f32) -> f32 {
    let mut sums = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let rest: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * value(*y))
        .sum();
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            sums[i] += x[i] * value(y[i]);
        }
    }
    sums.iter().sum::<f32>() + rest
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_by(a, b, |x| x)
}

/// Orthonormalises the columns of `m` in place (modified Gram-Schmidt,
/// twice for stability). Columns that vanish are left as zeros.
fn orthonormalize(m: &mut Dense) {
    let (n, l) = (m.rows, m.cols);
    // Work column-major for speed, holding one copy of the matrix at a time.
    // Both ways in one pass over the rows: gathering one column at a time
    // would read the whole matrix once a column, for a float a cache line.
    let mut cols: Vec<Vec<f32>> = vec![Vec::with_capacity(n); l];
    for row in m.data.chunks_exact(l) {
        for (col, &v) in cols.iter_mut().zip(row) {
            col.push(v);
        }
    }
    m.data = Vec::new();
    for _pass in 0..2 {
        for c in 0..l {
            let (done, rest) = cols.split_at_mut(c);
            let col = &mut rest[0];
            for prev in done.iter() {
                let d = dot(prev, col);
                for (x, p) in col.iter_mut().zip(prev) {
                    *x -= d * p;
                }
            }
            let norm = dot(col, col).sqrt();
            if norm > 1e-6 {
                col.iter_mut().for_each(|x| *x /= norm);
            } else {
                col.iter_mut().for_each(|x| *x = 0.0);
            }
        }
    }
    m.data = vec![0.0; n * l];
    for (r, row) in m.data.chunks_exact_mut(l).enumerate() {
        for (x, col) in row.iter_mut().zip(&cols) {
            *x = col[r];
        }
    }
}

/// Eigen-decomposes a symmetric matrix (cyclic Jacobi). Returns the
/// eigenvalues and the eigenvectors as columns, largest first.
fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..60 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum();
        if off < 1e-18 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-30 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[k * n + p];
                    let akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[p * n + k];
                    let aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[k * n + p];
                    let vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]));
    let values = order.iter().map(|&i| a[i * n + i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vectors[k * n + new] = v[k * n + old];
        }
    }
    (values, vectors)
}

/// The term side of a rank-`k` decomposition of `rows` (n × `terms`):
/// the matrix V (terms × k) such that a story's embedding is `row · V`.
pub fn term_projection(rows: &dyn Rows, terms: usize, k: usize, power_iterations: usize) -> Dense {
    let l = (k + 20).min(rows.len().max(1)).min(terms.max(1));
    let k = k.min(l);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut omega = Dense::zeros(terms, l);
    omega.data.iter_mut().for_each(|x| *x = rng.gaussian());
    let mut y = sparse_times_dense(rows, &omega);
    // Each matrix is let go as soon as the next is made from it: a
    // library's worth of rows is the peak's part to keep small.
    drop(omega);
    orthonormalize(&mut y);
    for _ in 0..power_iterations {
        let mut z = sparse_t_times_dense(rows, terms, &y);
        drop(y);
        orthonormalize(&mut z);
        y = sparse_times_dense(rows, &z);
        drop(z);
        orthonormalize(&mut y);
    }
    // Bᵀ = Aᵀ Q (terms × l); B Bᵀ = (Bᵀ)ᵀ Bᵀ (l × l).
    let bt = sparse_t_times_dense(rows, terms, &y);
    let mut gram = vec![0.0f64; l * l];
    for t in 0..terms {
        let r = bt.row(t);
        for i in 0..l {
            if r[i] == 0.0 {
                continue;
            }
            for j in i..l {
                gram[i * l + j] += f64::from(r[i]) * f64::from(r[j]);
            }
        }
    }
    for i in 0..l {
        for j in 0..i {
            gram[i * l + j] = gram[j * l + i];
        }
    }
    let (values, vectors) = symmetric_eigen(gram, l);
    // V = Bᵀ U_B Σ⁻¹, keeping the top k.
    let mut v = Dense::zeros(terms, k);
    for t in 0..terms {
        let r = bt.row(t);
        let out = v.row_mut(t);
        for c in 0..k {
            let sigma = values[c].max(0.0).sqrt();
            if sigma < 1e-9 {
                continue;
            }
            let s: f64 = (0..l).map(|i| f64::from(r[i]) * vectors[i * l + c]).sum();
            out[c] = (s / sigma) as f32;
        }
    }
    v
}

/// A story's unit embedding: its sparse row times V, normalised.
pub fn embed(row: &[(u32, f32)], v: &Dense) -> Vec<f32> {
    let mut e = vec![0.0f32; v.cols];
    for &(t, w) in row {
        if (t as usize) < v.rows {
            for (o, x) in e.iter_mut().zip(v.row(t as usize)) {
                *o += w * x;
            }
        }
    }
    let norm = e.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        e.iter_mut().for_each(|x| *x /= norm);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_finds_eigenvalues() {
        // [[2,1],[1,2]] has eigenvalues 3 and 1.
        let (values, vectors) = symmetric_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-9 && (values[1] - 1.0).abs() < 1e-9);
        let (a, b) = (vectors[0], vectors[2]);
        assert!((a.abs() - b.abs()).abs() < 1e-9, "({a}, {b})");
    }

    #[test]
    fn columns_come_out_orthonormal_and_spanning_the_same_space() {
        let mut rng = Rng(7);
        let (n, l) = (1003, 21);
        let mut m = Dense::zeros(n, l);
        m.data.iter_mut().for_each(|x| *x = rng.gaussian());
        let original = m.data.clone();
        orthonormalize(&mut m);
        let col = |d: &[f32], c: usize| (0..n).map(|r| d[r * l + c]).collect::<Vec<f32>>();
        for i in 0..l {
            for j in 0..l {
                let d = dot(&col(&m.data, i), &col(&m.data, j));
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((d - want).abs() < 1e-4, "({i}, {j}): {d}");
            }
        }
        // Each original column is its own projection onto the new ones.
        for c in 0..l {
            let a = col(&original, c);
            let mut left = a.clone();
            for q in 0..l {
                let q = col(&m.data, q);
                let d = dot(&q, &a);
                left.iter_mut().zip(&q).for_each(|(x, y)| *x -= d * y);
            }
            assert!(dot(&left, &left).sqrt() < 1e-3 * dot(&a, &a).sqrt());
        }
        // The eight-lane dot product is the plain one, to rounding.
        let (a, b) = (col(&original, 0), col(&original, 1));
        let plain: f64 = a
            .iter()
            .zip(&b)
            .map(|(x, y)| f64::from(*x) * f64::from(*y))
            .sum();
        assert!((f64::from(dot(&a, &b)) - plain).abs() < 1e-3, "{plain}");
    }

    #[test]
    fn two_topics_separate_in_two_dimensions() {
        // Terms 0-2 belong to one topic, 3-5 to another; no story shares all words.
        let rows: Vec<Vec<(u32, f32)>> = vec![
            vec![(0, 1.0), (1, 1.0)],
            vec![(1, 1.0), (2, 1.0)],
            vec![(0, 1.0), (2, 1.0)],
            vec![(3, 1.0), (4, 1.0)],
            vec![(4, 1.0), (5, 1.0)],
            vec![(3, 1.0), (5, 1.0)],
        ];
        let v = term_projection(&rows, 6, 2, 2);
        let e: Vec<Vec<f32>> = rows.iter().map(|r| embed(r, &v)).collect();
        let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        // Stories 0 and 1 share one word, but come out as close as 0 and 2; far from 3.
        assert!(cos(&e[0], &e[1]) > 0.9, "{}", cos(&e[0], &e[1]));
        assert!(cos(&e[0], &e[3]).abs() < 0.1, "{}", cos(&e[0], &e[3]));
    }
}
