//! `jixiao`: the command line of Jixiao (绩效), the budget performance management system.
//!
//! A thin shell: it parses arguments, reads files and prints; everything it does is a call
//! into `jixiao-core`.

mod import;
mod render;
mod table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use jixiao_core::form::Form;
use jixiao_core::scoring::{ScoringPolicy, score};

/// Bundled demo forms: the self-evaluation forms of the seed documents, transcribed as printed.
const DEMO_FORMS: &[(&str, &str)] = &[
    (
        "seed001-daily-operations.json",
        include_str!("../../../testdata/forms/seed001-daily-operations.json"),
    ),
    (
        "seed001-audit-special.json",
        include_str!("../../../testdata/forms/seed001-audit-special.json"),
    ),
    (
        "seed003-department.json",
        include_str!("../../../testdata/forms/seed003-department.json"),
    ),
    (
        "seed003-project.json",
        include_str!("../../../testdata/forms/seed003-project.json"),
    ),
];

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效：预算绩效管理系统（计分、核对、说明每一个数）"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 对自评表计分：重新计算每项得分、执行率、总分和等级，并列出与表中数字的差异
    Score {
        /// 表单 JSON 文件（格式见 docs/forms.md）
        form: PathBuf,
        /// 计分政策 JSON 文件（缺省为财预〔2020〕10号口径，见 docs/scoring.md）
        #[arg(long)]
        policy: Option<PathBuf>,
        /// 输出 JSON（供程序读取）
        #[arg(long)]
        json: bool,
    },
    /// 导入 Word/Excel/网页/文本表单，显示识别出的表单（含数量）和未识别的内容
    Import {
        /// 文件（.docx .xlsx .html .txt；安装 LibreOffice 后也支持 .doc .xls .wps .et）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 输出 JSON（每个文件的表单、来源位置、未识别内容）
        #[arg(long)]
        json: bool,
    },
    /// 演示：对内置的真实自评表（种子文档）计分
    Demo {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Score { form, policy, json }) => {
            let policy = match policy {
                Some(path) => {
                    let text = read(&path)?;
                    ScoringPolicy::from_json(&text)
                        .with_context(|| format!("计分政策文件 {}", path.display()))?
                }
                None => ScoringPolicy::default(),
            };
            let text = read(&form)?;
            print!(
                "{}",
                score_text(&text, &form.display().to_string(), &policy, json)?
            );
        }
        Some(Command::Import { files, json }) => import::run(&files, json)?,
        Some(Command::Demo { json }) => demo(json)?,
        None => demo(false)?,
    }
    Ok(())
}

fn demo(json: bool) -> Result<()> {
    let policy = ScoringPolicy::default();
    if !json {
        println!("绩效 Jixiao 演示：对种子文档中的自评表按财预〔2020〕10号口径重新计分\n");
    }
    for (name, text) in DEMO_FORMS {
        print!("{}", score_text(text, name, &policy, json)?);
        if !json {
            println!("\n{}\n", "═".repeat(60));
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("无法读取文件 {}", path.display()))
}

/// Scores one form's JSON and renders it as text or JSON.
fn score_text(text: &str, source: &str, policy: &ScoringPolicy, json: bool) -> Result<String> {
    let form = Form::from_json(text).with_context(|| format!("表单文件 {source}"))?;
    let Some(eval) = form.self_evaluation() else {
        bail!("{source} 是{}，只有自评表可以计分", form.title());
    };
    let scored = score(eval, policy);
    Ok(if json {
        let mut s = serde_json::to_string_pretty(&scored)?;
        s.push('\n');
        s
    } else {
        render::scored_form(form.title(), eval, &scored)
    })
}
