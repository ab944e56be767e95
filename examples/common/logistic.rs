//! Logistic regression for the trainers (`train_scorer`, `train_tail`): IRLS with an L2
//! penalty, on rows of features, label and weight.

// Matrix code reads best with index loops.
#![allow(clippy::needless_range_loop)]

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// A training row: features, label, weight.
pub type Row = (Vec<f64>, bool, f64);

/// Logistic regression by iteratively reweighted least squares with an L2 penalty of
/// `lambda` (not on the bias). Returns [bias, weights…].
pub fn fit(rows: &[Row], lambda: f64) -> Vec<f64> {
    let d = rows[0].0.len() + 1;
    let mut beta = vec![0.0f64; d];
    let mut x = vec![0.0f64; d];
    for _ in 0..30 {
        let mut grad = vec![0.0f64; d];
        let mut hess = vec![vec![0.0f64; d]; d];
        for (f, content, w) in rows {
            x[0] = 1.0;
            x[1..].copy_from_slice(f);
            let z: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = sigmoid(z);
            let y = if *content { 1.0 } else { 0.0 };
            for i in 0..d {
                grad[i] += w * (y - p) * x[i];
                let s = w * p * (1.0 - p) * x[i];
                for j in 0..=i {
                    hess[i][j] += s * x[j];
                }
            }
        }
        for i in 0..d {
            for j in 0..i {
                hess[j][i] = hess[i][j];
            }
        }
        for i in 1..d {
            grad[i] -= lambda * beta[i];
            hess[i][i] += lambda;
        }
        let step = solve(hess, grad);
        let size: f64 = step.iter().map(|s| s.abs()).sum();
        for i in 0..d {
            beta[i] += step[i];
        }
        if size < 1e-6 {
            break;
        }
    }
    beta
}

/// Solve `a · x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let d = b.len();
    for col in 0..d {
        let pivot = (col..d).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).unwrap();
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..d {
            let factor = a[row][col] / a[col][col];
            for k in col..d {
                a[row][k] -= factor * a[col][k];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; d];
    for row in (0..d).rev() {
        let rest: f64 = (row + 1..d).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    x
}

pub fn dot(beta: &[f64], f: &[f64]) -> f64 {
    beta[0] + beta[1..].iter().zip(f).map(|(a, b)| a * b).sum::<f64>()
}
