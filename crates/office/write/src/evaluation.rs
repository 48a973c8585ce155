//! The finance bureau's department evaluation (部门整体支出绩效评价) as it is filed: one sheet
//! with every indicator (一级/二级/三级, 分值, the 评分标准, the measure, 得分 and how it was
//! obtained) and the total, a sheet of the base-data values the rules read, written as Excel
//! ([`EvaluationDocument::xlsx`]) or laid out on landscape A4 for the PDF writer
//! ([`EvaluationDocument::paper`]). A total some indicators are missing from says it is
//! provisional (`总分 60（暂定：2项未评）`) wherever it is printed.

use jixiao_core::rules::{Evaluation, Status};
use rust_decimal::Decimal;

use super::paper::{Block, Page, Paper};
use super::sheet::{Sheet, Style, level_cells};
use super::xlsx::Workbook;

const COLS: usize = 8;

/// An evaluation with what is printed around it.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationDocument<'a> {
    /// The evaluated unit.
    pub unit: &'a str,
    /// The year evaluated.
    pub year: i64,
    /// The rule set's name.
    pub rules_name: &'a str,
    /// The evaluation.
    pub evaluation: &'a Evaluation,
    /// The 评分标准 of each indicator, in the evaluation's order.
    pub criteria: &'a [String],
    /// The base-data values the rules read: field and value.
    pub inputs: &'a [(String, String)],
    /// Notes on the base data (fields without a value).
    pub notes: &'a [String],
}

fn show(v: Decimal) -> String {
    v.normalize().to_string()
}

impl EvaluationDocument<'_> {
    /// The title: `2021年度部门整体支出绩效评价表`.
    pub fn title(&self) -> String {
        format!("{}年度部门整体支出绩效评价表", self.year)
    }

    /// Indicators that apply but have no score yet.
    pub fn unjudged(&self) -> usize {
        self.evaluation
            .indicators
            .iter()
            .filter(|i| matches!(i.status, Status::NotComputable { .. }))
            .count()
    }

    /// The total as printed: `85.5`, `60（暂定：2项未评）`, or `0（一票否决：…）`.
    pub fn total(&self) -> String {
        let e = self.evaluation;
        match &e.veto {
            Some(v) => format!("{}（一票否决：{v}）", show(e.total)),
            None if !e.complete => format!("{}（暂定：{}项未评）", show(e.total), self.unjudged()),
            None => show(e.total),
        }
    }

    /// The grade as printed: `等级：良`, or that there is none yet.
    pub fn grade(&self) -> String {
        if self.evaluation.complete {
            format!("等级：{}", self.evaluation.grade.name())
        } else {
            "等级：暂不评定（总分为暂定，不是评价结果）".into()
        }
    }

    /// The sheet of indicators: title, unit and rules, the total line, the header, a row per
    /// indicator with merged 一级/二级 cells, the 总分 row, the notes.
    pub fn indicator_sheet(&self) -> Sheet {
        let mut s = Sheet::new("评价结果");
        for (c, w) in [60, 80, 110, 40, 220, 60, 50, 300].into_iter().enumerate() {
            s.width(c, w);
        }
        s.set(0, 0, self.title(), Style::Title)
            .merge(0, 0, 0, COLS - 1);
        s.set(
            1,
            0,
            format!(
                "（被评价单位：{}　评价规则：{}）",
                self.unit, self.rules_name
            ),
            Style::Caption,
        )
        .merge(1, 0, 1, COLS - 1);
        s.set(
            2,
            0,
            format!("总分 {}　{}", self.total(), self.grade()),
            Style::Plain,
        )
        .merge(2, 0, 2, COLS - 1);
        let header = 3;
        for (c, h) in [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "评分标准",
            "计算值",
            "得分",
            "评分说明",
        ]
        .into_iter()
        .enumerate()
        {
            s.set(header, c, h, Style::CellCenter);
        }
        s.header(header, header);
        let first = header + 1;
        let e = self.evaluation;
        for (k, i) in e.indicators.iter().enumerate() {
            let r = first + k;
            let score = match (&i.status, i.score) {
                (Status::NotApplicable, _) => "不适用".to_string(),
                (_, Some(s)) => show(s),
                (_, None) => "未评".to_string(),
            };
            s.set(r, 2, &i.name, Style::Cell)
                .set(r, 3, show(i.points), Style::CellCenter)
                .set(
                    r,
                    4,
                    self.criteria.get(k).cloned().unwrap_or_default(),
                    Style::Cell,
                )
                .set(
                    r,
                    5,
                    i.measure.map(show).unwrap_or_default(),
                    Style::CellCenter,
                )
                .set(r, 6, score, Style::CellCenter)
                .set(r, 7, &i.explanation, Style::Cell);
        }
        let levels: Vec<(&str, &str)> = e
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str()))
            .collect();
        level_cells(&mut s, first, 0, &levels);
        let r = first + e.indicators.len();
        s.set(r, 0, "总分", Style::CellCenter)
            .merge(r, 0, r, 2)
            .set(r, 3, show(e.applicable_points), Style::CellCenter)
            .set(r, 4, self.total(), Style::CellCenter)
            .merge(r, 4, r, 6)
            .set(r, 7, self.grade(), Style::Cell);
        for (k, n) in self.notes.iter().enumerate() {
            let text = if k == 0 {
                format!("说明：{n}")
            } else {
                n.clone()
            };
            let row = r + 1 + k;
            s.set(row, 0, text, Style::Plain)
                .merge(row, 0, row, COLS - 1);
        }
        s
    }

    /// The sheet of base-data values the rules read (字段 | 数值); `None` when there are none.
    pub fn input_sheet(&self) -> Option<Sheet> {
        if self.inputs.is_empty() {
            return None;
        }
        let mut s = Sheet::new("基础数据");
        s.width(0, 300).width(1, 160);
        s.set(0, 0, "评价所用基础数据", Style::Title)
            .merge(0, 0, 0, 1);
        s.set(1, 0, "字段", Style::CellCenter)
            .set(1, 1, "数值", Style::CellCenter)
            .header(1, 1);
        for (k, (field, value)) in self.inputs.iter().enumerate() {
            s.set(2 + k, 0, field, Style::Cell)
                .set(2 + k, 1, value, Style::CellCenter);
        }
        Some(s)
    }

    /// The evaluation as an Excel workbook: the indicators, then the base data.
    pub fn xlsx(&self) -> Result<Vec<u8>, std::io::Error> {
        let mut book = Workbook::default();
        book.add(self.indicator_sheet());
        if let Some(inputs) = self.input_sheet() {
            book.add(inputs);
        }
        book.to_bytes()
    }

    /// The evaluation on landscape A4 (the indicators, then the base data on a page of its
    /// own), for the PDF and Word writers.
    pub fn paper(&self) -> Paper {
        let mut page = Page::form();
        page.landscape = true;
        let mut doc = Paper::new(page);
        doc.push(Block::Form(self.indicator_sheet()));
        if let Some(inputs) = self.input_sheet() {
            doc.push(Block::PageBreak).push(Block::Form(inputs));
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::grade::Grade;
    use jixiao_core::rules::IndicatorResult;

    fn indicator(name: &str, score: Option<u32>, status: Status) -> IndicatorResult {
        IndicatorResult {
            level1: "投入".into(),
            level2: "预算配置".into(),
            name: name.into(),
            points: Decimal::from(50),
            measure: None,
            score: score.map(Decimal::from),
            stated: None,
            status,
            explanation: "规则：…".into(),
        }
    }

    #[test]
    fn a_provisional_total_says_so_and_gives_no_grade() {
        let e = Evaluation {
            name: "评价".into(),
            indicators: vec![
                indicator("在职人员控制率", Some(45), Status::Computed),
                indicator(
                    "预算执行率",
                    None,
                    Status::NotComputable {
                        reason: "缺少：年初预算".into(),
                    },
                ),
            ],
            applicable_points: Decimal::from(100),
            total: Decimal::from(45),
            grade: Grade::Poor,
            complete: false,
            veto: None,
        };
        let criteria = vec!["≥95%得满分".to_string(), String::new()];
        let doc = EvaluationDocument {
            unit: "淮北市工伤保险管理服务中心",
            year: 2022,
            rules_name: "湖南省部门整体支出绩效评价指标表",
            evaluation: &e,
            criteria: &criteria,
            inputs: &[],
            notes: &[],
        };
        assert_eq!(doc.total(), "45（暂定：1项未评）");
        assert!(doc.grade().contains("暂不评定"));
        let sheet = doc.indicator_sheet();
        let texts: Vec<&str> = sheet.cells.values().map(|v| v.0.as_str()).collect();
        assert!(texts.contains(&"未评") && texts.contains(&"45（暂定：1项未评）"));
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("总分 45（暂定：1项未评）"))
        );
        assert!(doc.input_sheet().is_none());
        let mut e = e.clone();
        e.complete = true;
        e.indicators[1].score = Some(Decimal::from(40));
        e.indicators[1].status = Status::Computed;
        e.total = Decimal::from(85);
        e.grade = Grade::Good;
        let doc = EvaluationDocument {
            unit: "淮北市工伤保险管理服务中心",
            year: 2022,
            rules_name: "湖南省部门整体支出绩效评价指标表",
            evaluation: &e,
            criteria: &criteria,
            inputs: &[],
            notes: &[],
        };
        assert_eq!(
            (doc.total().as_str(), doc.grade().as_str()),
            ("85", "等级：良")
        );
    }
}
