//! `jixiao`: the command line of Jixiao (绩效), the budget performance management system.
//!
//! A thin shell: it parses arguments, reads files and prints; everything it does is a call
//! into `jixiao-core`.

#[macro_use]
mod out;
mod audit;
mod backup;
mod evaluate;
mod export;
mod import;
mod progress;
mod render;
mod serve;
mod table;
mod template;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use jixiao_core::form::Form;
use jixiao_core::scoring::{ScoringPolicy, score};

/// mimalloc rather than the system's malloc: import, scoring and audit allocate small strings
/// per cell and finding, and run 25–40 % faster with it (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// `--version`: the package version and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "（提交 ",
    env!("JIXIAO_COMMIT"),
    "）"
);

/// What `--help` says of the exit status.
const EXIT_CODES: &str = "退出状态：
  0  完成
  1  未能完成：文件未能读取或写入、审核发现达到 --fail-on 的级别、规则文件有误、
     变更日志校验未通过、恢复后的日志未通过校验，或其他错误（原因写在标准错误上）
  2  命令行参数有误";

#[derive(Parser)]
#[command(
    name = "jixiao",
    version = VERSION,
    about = "绩效：预算绩效管理系统（计分、核对、说明每一个数）",
    after_help = EXIT_CODES
)]
struct Cli {
    /// 输出 JSON（供程序读取；各命令均可用，位置在命令前后均可）
    #[arg(long, global = true)]
    json: bool,
    /// 配置文件（TOML，各项见 docs/configuration.md；缺省取环境变量 JIXIAO_CONFIG）
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 对自评表计分：重新计算每项得分、执行率、总分和等级，并列出与表中数字的差异
    Score {
        /// 含自评表的文件或文件夹（可多个）：表单 JSON（格式见 docs/forms.md，也可以是 import --json 的输出）或 Word/Excel/网页/文本/PDF 文件
        #[arg(required = true, value_name = "FILE")]
        forms: Vec<PathBuf>,
        /// 计分政策 JSON 文件（缺省为财预〔2020〕10号口径，见 docs/scoring.md）
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// 导入 Word/Excel/网页/文本/PDF 表单，显示识别出的表单（含数量）和未识别的内容
    Import {
        /// 文件或文件夹（.docx .xlsx .xls .xlsb .ods .et .html .txt .pdf .json；PDF 须有文字层；安装 LibreOffice 后也支持 .doc .wps）
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 智能审核：检查表单的计算、计分规则、完整性、指标质量和报告数据，列出每个问题及依据
    Audit {
        /// 文件或文件夹（文件夹递归读取所有支持的格式）
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 另存为单页 HTML 审核报告
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// 另存为 Excel 问题清单
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// 出现该级别及以上的问题时以非零状态退出：error（错误）、warning（警告）、info（提示）
        #[arg(long, value_name = "LEVEL")]
        fail_on: Option<String>,
        /// 计分政策 JSON 文件
        #[arg(long)]
        policy: Option<PathBuf>,
        /// 评价规则（TOML、内置规则名或含评价指标表的文件）：含基础数据表的文件按规则核对表中得分
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// 导出表单：申报表、自评表按标准版式写成 Word、Excel、网页或 PDF，可再导入为同样的表单；
    /// --to yitihua 把所有输入的申报表、监控表、自评表按一体化规范表写成 CSV 压缩包（.zip），
    /// jixiao import 可读回同样的表单，其他表单不导出并逐张提示
    Export {
        /// 表单 JSON（单张、数组或 import --json 的输出），含表单的 Word/Excel/网页/文本/PDF 文件，或文件夹
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 输出格式：docx、xlsx、html、pdf、json、yitihua（一体化规范表，CSV 压缩包 .zip；缺省取 -o 的扩展名）
        #[arg(long, value_name = "FORMAT")]
        to: Option<String>,
        /// 输出文件（只用于单个输入；缺省为输入文件名换成新扩展名）；yitihua 时为合并所有输入的 .zip
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 批量导出：每个输入文件导出到此文件夹（多个文件或文件夹时必须给出）
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// 一体化规范表的财政区划代码 mof_div_code（如 430000；表单中没有，缺省写 000000）
        #[arg(long, value_name = "CODE")]
        mof_div_code: Option<String>,
    },
    /// 生成部门整体支出绩效自评报告（GB/T 9704 版式）：得分、等级、执行率等由自评表计算，已写的正文原样保留，自评表作为附件
    Report {
        /// 含部门整体支出绩效自评表（及项目自评表、报告正文）的文件、表单 JSON 或文件夹
        #[arg(required = true, value_name = "DATA")]
        data: Vec<PathBuf>,
        /// 输出格式：docx、pdf（缺省取 -o 的扩展名，再缺省为 docx）
        #[arg(long, value_name = "FORMAT")]
        to: Option<String>,
        /// 输出文件（只用于单个输入；缺省为输入文件名加“-自评报告”）
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 批量生成：每个输入文件的报告写到此文件夹（多个文件或文件夹时必须给出）
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// 计分政策 JSON 文件
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// 生成离线填报模板：按正式版式写成 Excel（下拉选择一级/二级指标、数字和百分比校验、
    /// 执行率和得分等公式单元格锁定、第二页为填报说明）或 Word，填好后可直接导入
    Template {
        /// 表单类型：project-target（项目支出绩效目标申报表）、department-target（部门整体支出绩效目标申报表）、monitoring（绩效监控表）、project-self-evaluation（项目支出绩效自评表）、department-self-evaluation（部门整体支出绩效自评表）
        #[arg(value_name = "KIND")]
        kind: String,
        /// 年度（缺省为今年）
        #[arg(long)]
        year: Option<u16>,
        /// 项目名称（部门整体表为部门名称）
        #[arg(long, value_name = "NAME")]
        project: Option<String>,
        /// 预算单位名称
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// 由申报表预填：含申报表的文件或表单 JSON（监控表、自评表取其指标和目标值）
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// 输出文件：.xlsx 或 .docx
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// 按评价指标表的规则文件计分：逐项说明计算过程，与表中得分比对
    Evaluate {
        /// 规则文件（TOML，见 docs/rules.md）、内置规则名 hunan-department（湖南省部门整体支出绩效评价指标表）、hunan-reference，或含评价指标表的文件（按其评价标准自动转换）
        #[arg(long)]
        rules: PathBuf,
        /// 评价数据：含基础数据表的文件（Word/Excel/网页/文本/PDF、表单 JSON 或 import --json 的输出）、评价数据 JSON，或文件夹；可给多个
        #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
        data: Vec<PathBuf>,
        /// 另存为单页 HTML 评价结果
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// 规则文件工具
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// 启动网页系统（单位填报、审核流程、计分与审核），缺省使用内嵌的 SQLite 数据库
    Serve {
        /// 监听地址（缺省取配置项 listen、环境变量 JIXIAO_LISTEN，再缺省为 127.0.0.1:8080）
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
        /// 数据库地址：sqlite:文件 或 postgres://…（缺省取环境变量 DATABASE_URL，再缺省为 sqlite:jixiao.db）
        #[arg(long)]
        database: Option<String>,
        /// 载入演示区域（内置的真实表单和各角色账号），并打印各账号的密码
        #[arg(long)]
        demo: bool,
        /// 会话 Cookie 只经 HTTPS 发送（在 HTTPS 反向代理之后运行时使用）
        #[arg(long)]
        secure_cookies: bool,
    },
    /// 初始化新安装的系统：建立财政局和系统管理员账号，打印一次性密码（首次登录须修改）；已有单位时不做任何改动
    Init {
        /// 财政局名称（如“某某市财政局”）
        #[arg(long, value_name = "NAME")]
        bureau: String,
        /// 管理员用户名（缺省 admin）
        #[arg(long, default_value = "admin", value_name = "NAME")]
        username: String,
        /// 数据库地址（缺省同 serve）
        #[arg(long)]
        database: Option<String>,
    },
    /// 备份数据库：SQLite 在线备份（VACUUM INTO），PostgreSQL 用 pg_dump
    Backup {
        /// 备份文件
        file: PathBuf,
        /// 数据库地址（缺省同 serve）
        #[arg(long)]
        database: Option<String>,
    },
    /// 从备份恢复数据库（只恢复到新的空数据库；--replace 覆盖已有数据库，须先停止服务）
    Restore {
        /// 备份文件（jixiao backup 所写）
        file: PathBuf,
        /// 数据库地址（缺省同 serve）
        #[arg(long)]
        database: Option<String>,
        /// 覆盖已有数据的数据库
        #[arg(long)]
        replace: bool,
    },
    /// 变更日志工具
    Log {
        #[command(subcommand)]
        command: LogCommand,
    },
    /// 演示：对内置的真实自评表计分
    Demo,
    /// 生成命令行补全脚本：bash、zsh、fish（如 jixiao completions bash > /etc/bash_completion.d/jixiao）
    Completions {
        /// 外壳：bash、zsh、fish
        shell: Shell,
    },
    /// 生成手册页（man，roff 格式；如 jixiao man > jixiao.1）
    Man,
}

/// The shells completions are written for.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Subcommand)]
enum LogCommand {
    /// 逐条校验变更日志的哈希链，指出第一条被改动、删除或插入的记录
    Verify {
        /// 数据库地址（缺省同 serve）
        #[arg(long)]
        database: Option<String>,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// 检查规则文件：分值合计、字段定义、档次有无空档或重叠，错误注明行号
    Check {
        /// 规则文件（TOML）、含规则文件的文件夹，或内置规则名 hunan-department、hunan-reference；可给多个
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// 把评价指标表（Word/Excel/网页/文本/PDF）中的评价标准转换为规则文件，并列出未能转换的条目
    FromTable {
        /// 含评价指标表的文件或文件夹（可多个）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 输出的规则文件（只用于单个输入；缺省打印到屏幕）
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 批量转换：每个输入文件的规则写到此文件夹（文件名.toml；多个文件或文件夹时必须给出）
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// The command line with its help in Chinese: headings 命令/参数/选项, `-h` 显示帮助,
/// `-V` 显示版本, on every subcommand.
fn command() -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    fn chinese(cmd: clap::Command, top: bool) -> clap::Command {
        let ids: Vec<(clap::Id, bool)> = cmd
            .get_arguments()
            .map(|a| (a.get_id().clone(), a.is_positional()))
            .collect();
        let mut cmd = cmd
            .disable_help_flag(true)
            .disable_help_subcommand(true)
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令")
            .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("显示帮助")
                    .help_heading("选项"),
            );
        if top {
            cmd = cmd.disable_version_flag(true).arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("显示版本")
                    .help_heading("选项"),
            );
        }
        for (id, positional) in ids {
            cmd = cmd.mut_arg(id, |a| {
                a.help_heading(if positional { "参数" } else { "选项" })
            });
        }
        cmd.mut_subcommands(|sub| chinese(sub, false))
    }
    chinese(Cli::command(), true)
}

/// A command-line error in Chinese, with the usage and where to read more.
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut message = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少参数 {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".into()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("参数 {arg} 的取值“{value}”无效")
        }
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", get(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须写成 {arg}=取值"),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".into(),
        _ => "命令行参数有误".into(),
    };
    let valid = get(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str(&format!("（可用：{valid}）"));
    }
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        message.push_str(&format!("，是否要用“{s}”？"));
    }
    let usage = get(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        message.push_str(&format!("\n用法：{}", usage.replace("[OPTIONS]", "[选项]")));
    }
    message.push_str("\n详见 jixiao --help，或 jixiao <命令> --help");
    message
}

fn main() -> ExitCode {
    use clap::FromArgMatches;
    // The PDF reader contains the PDF library's panics on its own thread and reports each
    // as a Chinese error naming the file; the library's English panic message is noise there.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(jixiao_read::PDF_THREAD) {
            report(info);
        }
    }));
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let mut text = e.render().to_string().replace("[OPTIONS]", "[选项]");
                // clap ends a heading with an ASCII colon; Chinese text takes the full-width one.
                for heading in ["命令", "选项", "参数"] {
                    text = text.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
                }
                say!("{}", text);
                if !text.ends_with('\n') {
                    sayln!();
                }
                return ExitCode::SUCCESS;
            }
            eprintln!("错误：{}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{}", out::message(&e));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    // The instance's settings, loaded once: defaults, the file, the environment; each command's
    // flags go over them.
    let config = cli.config.clone().or_else(|| {
        std::env::var_os("JIXIAO_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let settings = jixiao_app::Settings::load(config.as_deref(), &|name| std::env::var(name).ok())?;
    jixiao_app::files::use_font_dirs(&settings.fonts.dirs);
    let limits = &settings.limits();
    let json = cli.json;
    match cli.command {
        Some(Command::Score { forms, policy }) => {
            let policy = load_policy(policy.as_deref())?;
            if !score_paths(&forms, &policy, limits, json)? {
                std::process::exit(1);
            }
        }
        Some(Command::Import { files }) => import::run(&files, json, limits)?,
        Some(Command::Audit {
            paths,
            html,
            xlsx,
            fail_on,
            policy,
            rules,
        }) => {
            let rules = match rules {
                Some(path) => Some(evaluate::load(&path, limits)?.0),
                None => None,
            };
            let level = match fail_on.as_deref() {
                None => None,
                Some(l) => Some(jixiao_core::audit::Severity::parse(l).with_context(|| {
                    format!("--fail-on 的取值“{l}”无效：应为 error、warning 或 info")
                })?),
            };
            let policy = load_policy(policy.as_deref())?;
            let files = jixiao_app::batch::collect(&paths).map_err(anyhow::Error::msg)?;
            if files.is_empty() {
                bail!(
                    "没有找到可审核的文件（支持 .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf .doc .wps）"
                );
            }
            let audits = audit::audit_all(&files, limits, &policy, rules.as_ref());
            if json {
                sayln!("{}", serde_json::to_string_pretty(&audits)?);
            } else {
                say!("{}", audit::render(&audits));
            }
            if let Some(path) = html {
                out::save(
                    &path,
                    jixiao_write::audit_html(&audits_view(&audits)).as_bytes(),
                )?;
            }
            if let Some(path) = xlsx {
                out::save(&path, &jixiao_write::audit_xlsx(&audits_view(&audits))?)?;
            }
            // An unreadable file fails the run; --fail-on adds findings at a level.
            let unreadable = audits.iter().any(|a| a.error.is_some());
            if unreadable || level.is_some_and(|level| jixiao_app::batch::fails(&audits, level)) {
                std::process::exit(1);
            }
        }
        Some(Command::Export {
            files,
            to,
            output,
            out_dir,
            mof_div_code,
        }) => export::forms(
            &files,
            to.as_deref(),
            output.as_deref(),
            out_dir.as_deref(),
            mof_div_code.as_deref(),
            limits,
            json,
        )?,
        Some(Command::Report {
            data,
            to,
            output,
            out_dir,
            policy,
        }) => export::report(
            &data,
            to.as_deref(),
            output.as_deref(),
            out_dir.as_deref(),
            &load_policy(policy.as_deref())?,
            limits,
            json,
        )?,
        Some(Command::Template {
            kind,
            year,
            project,
            unit,
            from,
            output,
        }) => template::run(
            &template::Request {
                kind: &kind,
                year,
                project: project.as_deref(),
                unit: unit.as_deref(),
                from: from.as_deref(),
                output: &output,
            },
            limits,
            json,
        )?,
        Some(Command::Evaluate { rules, data, html }) => {
            if !evaluate::run(&rules, &data, json, html.as_deref(), limits)? {
                std::process::exit(1);
            }
        }
        Some(Command::Rules {
            command: RulesCommand::Check { files },
        }) => evaluate::check(&files, limits, json)?,
        Some(Command::Rules {
            command:
                RulesCommand::FromTable {
                    files,
                    output,
                    out_dir,
                },
        }) => {
            if !evaluate::from_tables(&files, output.as_deref(), out_dir.as_deref(), limits, json)?
            {
                std::process::exit(1);
            }
        }
        Some(Command::Serve {
            addr,
            database,
            demo,
            secure_cookies,
        }) => {
            let mut settings = serve::with_database(settings, database);
            if let Some(addr) = addr {
                settings.listen = addr;
            }
            settings.secure_cookies |= secure_cookies;
            serve::serve(settings, demo, json)?
        }
        Some(Command::Init {
            bureau,
            username,
            database,
        }) => serve::init(
            &serve::with_database(settings, database),
            &bureau,
            &username,
            json,
        )?,
        Some(Command::Backup { file, database }) => {
            backup::backup(&file, &serve::with_database(settings, database), json)?
        }
        Some(Command::Restore {
            file,
            database,
            replace,
        }) => {
            let settings = serve::with_database(settings, database);
            if !backup::restore(&file, &settings, replace, json)? {
                std::process::exit(1);
            }
        }
        Some(Command::Log {
            command: LogCommand::Verify { database },
        }) => {
            if !serve::verify(&serve::with_database(settings, database), json)? {
                std::process::exit(1);
            }
        }
        Some(Command::Demo) | None => demo(json)?,
        Some(Command::Completions { shell }) => completions(shell, json)?,
        Some(Command::Man) => man(json)?,
    }
    Ok(())
}

/// `jixiao completions SHELL`: the completion script of the Chinese command line.
fn completions(shell: Shell, json: bool) -> Result<()> {
    let mut script = Vec::new();
    let mut cmd = command();
    match shell {
        Shell::Bash => {
            clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "jixiao", &mut script)
        }
        Shell::Zsh => {
            clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, "jixiao", &mut script)
        }
        Shell::Fish => {
            clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, "jixiao", &mut script)
        }
    }
    let script = String::from_utf8(script).context("补全脚本不是 UTF-8 文本")?;
    if json {
        let name = match shell {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
        };
        sayln!("{}", serde_json::json!({"shell": name, "script": script}));
    } else {
        say!("{script}");
    }
    Ok(())
}

/// `jixiao man`: the manual page (roff) of the command line, its commands and exit status.
fn man(json: bool) -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command())
        .render(&mut page)
        .context("手册页无法生成")?;
    let page = String::from_utf8(page).context("手册页不是 UTF-8 文本")?;
    if json {
        sayln!("{}", serde_json::json!({"man": page}));
    } else {
        say!("{page}");
    }
    Ok(())
}

fn demo(json: bool) -> Result<()> {
    let policy = ScoringPolicy::default();
    let mut forms = Vec::new();
    for (name, text) in DEMO_FORMS {
        forms.push(Form::from_json(text).with_context(|| format!("内置表单 {name}"))?);
    }
    if !json {
        sayln!(
            "绩效 Jixiao 演示：对内置的真实自评表（各地单位公开的表单）按财预〔2020〕10号口径重新计分\n"
        );
    }
    say!("{}", score_forms(&forms, "内置表单", &policy, json)?);
    Ok(())
}

fn load_policy(path: Option<&Path>) -> Result<ScoringPolicy> {
    match path {
        Some(path) => {
            let text = out::read_text(path)?;
            ScoringPolicy::from_json(&text)
                .with_context(|| format!("计分政策文件 {}", path.display()))
        }
        None => Ok(ScoringPolicy::default()),
    }
}

/// The audits as the renderers take them.
fn audits_view(audits: &[jixiao_app::batch::FileAudit]) -> Vec<jixiao_write::AuditedFile<'_>> {
    audits
        .iter()
        .map(|a| jixiao_write::AuditedFile {
            file: &a.file,
            forms: a.forms,
            findings: &a.findings,
            notes: &a.notes,
            error: a.error.as_deref(),
            summaries: &a.summaries,
        })
        .collect()
}

/// Scores every self-evaluation among `forms` and renders them as text (one after another)
/// or as one JSON document (an object for one form, an array for several).
/// `jixiao score`: one file as it always was; several files or a folder scored file by file,
/// each file's error said beside it (text) or as its `error` (JSON). False when a file failed.
fn score_paths(
    paths: &[PathBuf],
    policy: &ScoringPolicy,
    limits: &jixiao_recognize::Limits,
    json: bool,
) -> Result<bool> {
    let files = jixiao_app::batch::collect(paths).map_err(anyhow::Error::msg)?;
    if let ([one], false) = (files.as_slice(), paths.iter().any(|p| p.is_dir())) {
        let forms = export::load_forms(one, limits)?;
        say!(
            "{}",
            score_forms(&forms, &one.display().to_string(), policy, json)?
        );
        return Ok(true);
    }
    if files.is_empty() {
        bail!("没有找到可计分的文件（支持 .json .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf）");
    }
    let mut ok = true;
    let mut values = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let source = file.display().to_string();
        let scored = export::load_forms(file, limits)
            .and_then(|forms| score_forms(&forms, &source, policy, json));
        ok &= scored.is_ok();
        if json {
            values.push(match scored {
                Ok(text) => serde_json::json!({
                    "file": source,
                    "scored": serde_json::from_str::<serde_json::Value>(&text)?,
                }),
                Err(e) => serde_json::json!({ "file": source, "error": format!("{e:#}") }),
            });
            continue;
        }
        if k > 0 {
            sayln!();
        }
        sayln!("【{source}】");
        match scored {
            Ok(text) => say!("{text}"),
            Err(e) => sayln!("错误：{e:#}"),
        }
    }
    if json {
        sayln!("{}", serde_json::to_string_pretty(&values)?);
    }
    Ok(ok)
}

fn score_forms(forms: &[Form], source: &str, policy: &ScoringPolicy, json: bool) -> Result<String> {
    let evaluations: Vec<(&Form, &jixiao_core::form::SelfEvaluation)> = forms
        .iter()
        .filter_map(|f| f.self_evaluation().map(|e| (f, e)))
        .collect();
    if evaluations.is_empty() {
        let found: Vec<&str> = forms.iter().map(|f| f.title()).collect();
        if found.is_empty() {
            bail!("{source} 中没有表单，只有自评表可以计分");
        }
        bail!("{source} 中是{}，只有自评表可以计分", found.join("、"));
    }
    let scored: Vec<_> = evaluations.iter().map(|(_, e)| score(e, policy)).collect();
    if json {
        let mut s = match scored.as_slice() {
            [one] => serde_json::to_string_pretty(one)?,
            many => serde_json::to_string_pretty(many)?,
        };
        s.push('\n');
        return Ok(s);
    }
    let mut out = String::new();
    for (k, ((form, eval), scored)) in evaluations.iter().zip(&scored).enumerate() {
        if k > 0 {
            out.push_str(&format!("\n{}\n\n", "═".repeat(60)));
        }
        out.push_str(&render::scored_form(form.title(), eval, scored));
    }
    Ok(out)
}
