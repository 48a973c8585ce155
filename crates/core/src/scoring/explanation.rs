//! Explanations: every computed number says what went in, which rule applied, and the
//! arithmetic, in Chinese.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How a number was obtained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Inputs as `(label, value)`.
    pub inputs: Vec<(String, String)>,
    /// The rule applied.
    pub rule: String,
    /// The arithmetic, step by step.
    pub steps: Vec<String>,
}

impl Explanation {
    /// An explanation with a rule and no inputs yet.
    pub fn rule(rule: impl Into<String>) -> Explanation {
        Explanation {
            rule: rule.into(),
            ..Explanation::default()
        }
    }

    /// Adds an input.
    pub fn input(mut self, label: impl Into<String>, value: impl fmt::Display) -> Explanation {
        self.inputs.push((label.into(), value.to_string()));
        self
    }

    /// Adds a step of arithmetic or reasoning.
    pub fn step(&mut self, step: impl Into<String>) {
        self.steps.push(step.into());
    }
}

/// `输入：目标：≥90%，实际：95%；规则：…；计算：…`.
impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.inputs.is_empty() {
            let inputs: Vec<String> = self
                .inputs
                .iter()
                .map(|(k, v)| format!("{k}：{v}"))
                .collect();
            parts.push(format!("输入：{}", inputs.join("，")));
        }
        if !self.rule.is_empty() {
            parts.push(format!("规则：{}", self.rule));
        }
        if !self.steps.is_empty() {
            parts.push(format!("计算：{}", self.steps.join("；")));
        }
        f.write_str(&parts.join("；"))
    }
}
