//! Formulas over base-data fields, as evaluation tables write them:
//! `（在职人员数/编制数）×100`, `[(本年三公经费预算数-上年三公经费预算数)/上年三公经费预算数]×100`.
//!
//! Numbers, field names (any run of characters that is not an operator, bracket or space),
//! `+ - * / × ÷`, round and square brackets (half- or full-width). `×100%` means "as a
//! percentage" and is read as `×100`. Evaluation is exact; a missing field is reported by
//! name, never taken as 0.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::numeral::fold_width;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    source: String,
    node: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Number(Decimal),
    Field(String),
    Neg(Box<Node>),
    Bin(Box<Node>, Op, Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Why a formula could not be read or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    /// The text is not a formula.
    #[error("公式“{formula}”无法解析：{reason}")]
    Syntax {
        /// The formula.
        formula: String,
        /// Why.
        reason: String,
    },
    /// Fields the data does not have.
    #[error("缺少：{}", .0.join("、"))]
    Missing(Vec<String>),
    /// A division by zero.
    #[error("除数“{0}”为0")]
    DivisionByZero(String),
    /// The result does not fit an exact decimal.
    #[error("计算结果超出范围")]
    Overflow,
}

fn is_operator(c: char) -> bool {
    matches!(
        c,
        '+' | '-' | '*' | '/' | '×' | '÷' | '(' | ')' | '[' | ']' | '=' | '%'
    )
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    source: String,
}

impl Parser {
    fn error(&self, reason: &str) -> ExprError {
        ExprError::Syntax {
            formula: self.source.clone(),
            reason: reason.to_string(),
        }
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.chars.get(self.pos).copied()
    }

    fn expr(&mut self, depth: usize) -> Result<Node, ExprError> {
        if depth > 64 {
            return Err(self.error("括号嵌套过深"));
        }
        let mut left = self.term(depth)?;
        while let Some(c) = self.peek() {
            let op = match c {
                '+' => Op::Add,
                '-' => Op::Sub,
                _ => break,
            };
            self.pos += 1;
            let right = self.term(depth)?;
            left = Node::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self, depth: usize) -> Result<Node, ExprError> {
        let mut left = self.factor(depth)?;
        while let Some(c) = self.peek() {
            let op = match c {
                '*' | '×' => Op::Mul,
                '/' | '÷' => Op::Div,
                _ => break,
            };
            self.pos += 1;
            let right = self.factor(depth)?;
            left = Node::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self, depth: usize) -> Result<Node, ExprError> {
        match self.peek() {
            None => Err(self.error("公式不完整")),
            Some('-') => {
                self.pos += 1;
                Ok(Node::Neg(Box::new(self.factor(depth)?)))
            }
            Some(open @ ('(' | '[')) => {
                self.pos += 1;
                let inner = self.expr(depth + 1)?;
                let close = if open == '(' { ')' } else { ']' };
                if self.peek() != Some(close) {
                    return Err(self.error(&format!("缺少“{close}”")));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                let value = Decimal::from_str_exact(&text)
                    .map_err(|_| self.error(&format!("“{text}”不是数字")))?;
                // ×100% is "as a percentage": the % sign adds nothing.
                if self.peek() == Some('%') {
                    self.pos += 1;
                }
                Ok(Node::Number(value))
            }
            Some(c) if !is_operator(c) => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|c| !is_operator(*c) && !c.is_whitespace())
                {
                    self.pos += 1;
                }
                Ok(Node::Field(self.chars[start..self.pos].iter().collect()))
            }
            Some(c) => Err(self.error(&format!("此处不应出现“{c}”"))),
        }
    }
}

impl Expr {
    /// Parses a formula. A leading `name =` (the indicator's own name) is dropped.
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        let folded = fold_width(text);
        let body = match folded.split_once('=') {
            Some((_, rhs)) => rhs.to_string(),
            None => folded.clone(),
        };
        let mut p = Parser {
            chars: body.chars().collect(),
            pos: 0,
            source: text.to_string(),
        };
        let node = p.expr(0)?;
        if p.peek().is_some() {
            return Err(p.error(&format!(
                "多余的内容“{}”",
                p.chars[p.pos..].iter().collect::<String>()
            )));
        }
        Ok(Expr {
            source: text.trim().to_string(),
            node,
        })
    }

    /// The fields the formula reads, in order of first use.
    pub fn fields(&self) -> Vec<String> {
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Field(f) if !out.contains(f) => out.push(f.clone()),
                Node::Neg(a) => walk(a, out),
                Node::Bin(a, _, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.node, &mut out);
        out
    }

    /// Groups of fields that must share a unit: the fields added or subtracted together, and
    /// the numerator with the denominator of a ratio.
    pub fn unit_groups(&self) -> Vec<Vec<String>> {
        fn fields(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Field(f) => out.push(f.clone()),
                Node::Neg(a) => fields(a, out),
                Node::Bin(a, _, b) => {
                    fields(a, out);
                    fields(b, out);
                }
                Node::Number(_) => {}
            }
        }
        fn walk(n: &Node, out: &mut Vec<Vec<String>>) {
            if let Node::Bin(a, op, b) = n {
                if matches!(op, Op::Add | Op::Sub | Op::Div) {
                    let mut group = Vec::new();
                    fields(n, &mut group);
                    if group.len() > 1 {
                        out.push(group);
                    }
                }
                walk(a, out);
                walk(b, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.node, &mut out);
        out
    }

    /// Computes the formula over `values`.
    pub fn eval(&self, values: &BTreeMap<String, Decimal>) -> Result<Decimal, ExprError> {
        let missing: Vec<String> = self
            .fields()
            .into_iter()
            .filter(|f| !values.contains_key(f))
            .collect();
        if !missing.is_empty() {
            return Err(ExprError::Missing(missing));
        }
        eval(&self.node, values)
    }

    /// The formula with each field replaced by its value: `20.5 ÷ 29.24 × 100`.
    pub fn substituted(&self, values: &BTreeMap<String, Decimal>) -> String {
        show(&self.node, values, true)
    }
}

fn show(n: &Node, v: &BTreeMap<String, Decimal>, top: bool) -> String {
    match n {
        Node::Number(d) => d.normalize().to_string(),
        Node::Field(f) => v
            .get(f)
            .map_or_else(|| f.clone(), |d| d.normalize().to_string()),
        Node::Neg(a) => format!("-{}", show(a, v, false)),
        Node::Bin(a, op, b) => {
            let sym = match op {
                Op::Add => "+",
                Op::Sub => "-",
                Op::Mul => "×",
                Op::Div => "÷",
            };
            let s = format!("{} {sym} {}", show(a, v, false), show(b, v, false));
            if top || matches!(op, Op::Mul | Op::Div) {
                s
            } else {
                format!("({s})")
            }
        }
    }
}

fn eval(n: &Node, values: &BTreeMap<String, Decimal>) -> Result<Decimal, ExprError> {
    Ok(match n {
        Node::Number(d) => *d,
        Node::Field(f) => values
            .get(f)
            .copied()
            .ok_or_else(|| ExprError::Missing(vec![f.clone()]))?,
        Node::Neg(a) => -eval(a, values)?,
        Node::Bin(a, op, b) => {
            let (x, y) = (eval(a, values)?, eval(b, values)?);
            match op {
                Op::Add => x.checked_add(y),
                Op::Sub => x.checked_sub(y),
                Op::Mul => x.checked_mul(y),
                Op::Div if y.is_zero() => {
                    return Err(ExprError::DivisionByZero(show(b, values, true)));
                }
                Op::Div => x.checked_div(y),
            }
            .ok_or(ExprError::Overflow)?
        }
    })
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Expr, D::Error> {
        let s = String::deserialize(d)?;
        Expr::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, Decimal> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Decimal::from_str_exact(v).unwrap()))
            .collect()
    }

    #[test]
    fn formulas_as_tables_write_them() {
        let e = Expr::parse("在职人员控制率=（在职人员数/编制数）×100%").unwrap();
        assert_eq!(e.fields(), ["在职人员数", "编制数"]);
        let v = values(&[("在职人员数", "11"), ("编制数", "11")]);
        assert_eq!(e.eval(&v).unwrap(), Decimal::from(100));
        let e = Expr::parse("[（本年预算数-上年预算数）/上年预算数]×100").unwrap();
        let v = values(&[("本年预算数", "1.4"), ("上年预算数", "0.9")]);
        assert_eq!(e.eval(&v).unwrap().round_dp(2).to_string(), "55.56");
        assert_eq!(e.substituted(&v), "(1.4 - 0.9) ÷ 0.9 × 100");
    }

    #[test]
    fn missing_fields_and_zero_divisors_are_named() {
        let e = Expr::parse("实际支出公用经费/预算安排公用经费×100").unwrap();
        let err = e
            .eval(&values(&[("实际支出公用经费", "20.5")]))
            .unwrap_err();
        assert_eq!(err.to_string(), "缺少：预算安排公用经费");
        let err = e
            .eval(&values(&[
                ("实际支出公用经费", "20.5"),
                ("预算安排公用经费", "0"),
            ]))
            .unwrap_err();
        assert!(matches!(err, ExprError::DivisionByZero(_)));
    }

    #[test]
    fn bad_formulas_say_why() {
        assert!(
            Expr::parse("(a/b")
                .unwrap_err()
                .to_string()
                .contains("缺少“)”")
        );
        assert!(Expr::parse("a /").is_err());
        assert!(
            Expr::parse(&"(".repeat(100)).is_err(),
            "deep nesting is refused, not a stack overflow"
        );
    }
}
